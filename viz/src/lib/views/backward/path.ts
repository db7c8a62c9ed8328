// The backward pass as a guided path: which digit and target it opens on (and why, in words), the loss table
// printed so that rounding cannot hide what the gradient is, and the δ one layer hands to the one below.
import { fromData, gridFormat, type Sequential, type Tensor } from '../../../../../core/index.js';

/** Below this probability of its label a digit counts as "unsure": its gradients are large enough to see. */
export const UNSURE = 0.9;

const argmax = (p: ArrayLike<number>) => { let best = 0; for (let i = 1; i < p.length; i++) if (p[i] > p[best]) best = i; return best; };

/** The one default target of the backward view and the gradients overview: the digit's label, the class
 *  training pulls the network towards (for a drawing, whose label is unknown, the caller passes the prediction). */
export const defaultTarget = (label: number) => label;

/** The sample digit the backward path opens on: the first one the model gets wrong, else the one it is least
 *  sure of, else null (no samples). `probabilitiesOf` runs the model. */
export function unsureSample(samples: readonly { label: number; pixels: ArrayLike<number> }[], probabilitiesOf: (pixels: ArrayLike<number>) => ArrayLike<number>): number | null {
  let least: number | null = null, leastP = Infinity;
  for (let n = 0; n < samples.length; n++) {
    const p = probabilitiesOf(samples[n].pixels), label = samples[n].label;
    if (argmax(p) !== label) return n;
    if (p[label] < leastP) { leastP = p[label]; least = n; }
  }
  return least;
}

/** The model's output probabilities for one digit (the last layer's output). */
export function probabilitiesFor(model: Sequential, pixels: ArrayLike<number>): Float32Array {
  const out = model.predict(fromData(Float32Array.from(pixels), [1, ...model.inputShape]));
  return out.data.subarray(out.offset, out.offset + out.size);
}

/** Softmax and cross-entropy of one logit vector in float64, printed for the loss table. The target's
 *  p − 1 is −Σ of the other classes' p (no cancellation: in float32 1 − p is 0 or 1.19e−7 when p ≈ 1),
 *  and L = −log p[t] = log(1 + Σ_{c≠t} e^{z_c − z_t}) (log1p, exact for a tiny L). */
export function lossRows(logits: ArrayLike<number>, target: number) {
  const z = Array.from(logits, Number), C = z.length;
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top)), total = e.reduce((a, b) => a + b, 0);
  const p = e.map((v) => v / total);
  const others = p.reduce((sum, v, c) => (c === target ? sum : sum + v), 0);
  const gradient = p.map((v, c) => (c === target ? -others : v));
  const loss = Math.log1p(z.reduce((sum, v, c) => (c === target ? sum : sum + Math.exp(v - z[target])), 0));
  const format = gridFormat(gradient);
  return {
    p, gradient, loss, others, format,
    /** p[c] as printed: `1 − 1.65e−7` where it rounds to 1 at four decimals. */
    printP: (c: number) => (p[c] >= 0.99995 ? `1 − ${gridFormat([1 - p[c]])(c === target ? others : 1 - p[c])}` : gridFormat(p)(p[c])),
    /** Σ_c (p − onehot) as float64 adds it: 0 up to rounding. */
    sum: gradient.reduce((a, b) => a + b, 0), classes: C,
  };
}

/** Why the page shows this target, in one sentence a student can act on. */
export function targetReason(p: ArrayLike<number>, label: number, target: number, labelKnown: boolean, printP: (c: number) => string): string {
  const predicted = argmax(p);
  const who = labelKnown ? `the digit's label ${label}` : `the network's own answer ${label} (a drawing has no label)`;
  if (target !== label) {
    return `Target ${target}, chosen by you instead of ${who}: the gradients show how every value would have to move for the network to answer ${target}.`;
  }
  if (predicted !== label) {
    return `Target ${target} is ${who}, the class training pulls towards. The network answers ${predicted} instead (p[${target}] = ${printP(target)}), so the gradients are large: they say how to fix this mistake.`;
  }
  if (p[target] < UNSURE) {
    return `Target ${target} is ${who}, the class training pulls towards. The network is unsure (p[${target}] = ${printP(target)}), so the gradients are large enough to see.`;
  }
  return `Target ${target} is ${who}, the class training pulls towards. The network is already sure (p[${target}] = ${printP(target)}), so every gradient is tiny: training has almost nothing left to learn from this digit. ` +
    'Pick a digit it gets wrong (the Backward link in the header opens one) or another target to see large gradients.';
}

/** The δ handed between layers, as printed on both sides: the `count` entries of largest |value| with their
 *  [c,y,x] (or [i]) positions, in the tensor's own shape. */
export function handedOver(t: Tensor, count = 6): { at: string; value: number }[] {
  const data = t.data.subarray(t.offset, t.offset + t.size);
  const order = Array.from(data.keys()).sort((a, b) => Math.abs(data[b]) - Math.abs(data[a]) || a - b).slice(0, count).sort((a, b) => a - b);
  const [, H, W] = t.shape.length === 3 ? t.shape : [1, 1, t.size];
  return order.map((i) => ({ at: t.shape.length === 3 ? `${Math.floor(i / (H * W))},${Math.floor(i / W) % H},${i % W}` : String(i), value: data[i] }));
}
