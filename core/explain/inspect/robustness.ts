// core/explain/inspect/robustness.ts: how easily a decision changes.
// Distortions of a picture [C,H,W] in [0,1], in this order:
//   shift, rotation, scale about the centre: the trainer's own augmentation warp (data/augment.ts), bilinear  (1)
//   blur: conv3d with a normalised Gaussian kernel G[u,v] ∝ exp(−(u² + v²)/(2σ²)), radius ⌈3σ⌉, 'same' zero padding,
//         each channel on its own (a diagonal kernel stack)                                                  (2)
//   noise: x + σ_n·ε, ε ~ N(0, 1) from a seeded generator, then clipped to [0, 1]                              (3)
// Fast gradient sign (Goodfellow et al. 2015) for the class c the model predicts, L = −log p_c:
//   x_ε = clip(x + ε · sign(∂L/∂x), 0, 1)                                                                      (4)
//   ε* = the smallest ε on the grid ε_i = i·ε_max/steps whose x_ε is predicted as another class, refined by
//        bisection between ε_{i−1} and ε_i (the prediction need not change monotonically with ε)               (5)
// ∂L/∂x is explainModelGradients' (the ops' backward, the overview's gradients mode).
import { type Tensor, fromData, zeros } from '../../tensor.js';
import type { Sequential } from '../../nn/model.js';
import { conv3d } from '../../ops/conv3d.js';
import { seeded } from '../../random.js';
import { distortionParams, warpSamples } from '../../data/augment.js';
import { explainModelGradients } from '../backward/model.js';
import { argmax } from '../../nn/metrics.js';
import { sampleOf, probabilitiesOf, numberOption, integerOption } from './common.js';

export interface Distortion { shiftX?: number | null; shiftY?: number | null; rotate?: number | null; scale?: number | null; blur?: number | null; noise?: number | null; seed?: number | null }

/** The ranges a distortion's settings may take (the robustness view's sliders offer these). */
export const DISTORTION_RANGES = {
  shiftX: { low: -8, high: 8, step: 1, fallback: 0 }, shiftY: { low: -8, high: 8, step: 1, fallback: 0 },
  rotate: { low: -90, high: 90, step: 5, fallback: 0 }, scale: { low: 0.5, high: 1.5, step: 0.05, fallback: 1 },
  blur: { low: 0, high: 3, step: 0.25, fallback: 0 }, noise: { low: 0, high: 1, step: 0.05, fallback: 0 },
} as const;

/** (1)–(3) applied to one picture [C,H,W]: a new Float32Array. shift in pixels, rotate in degrees, scale a zoom factor. */
export function distort(input: Tensor | Float32Array, shape: readonly number[], distortion: Distortion = {}): Float32Array {
  const op = 'distort';
  if (shape.length !== 3) throw new RangeError(`distort: the shape must be [C,H,W], got [${shape.join(',')}]`);
  const [C, H, W] = shape;
  const x = sampleOf(op, shape, input);
  const read = (name: keyof typeof DISTORTION_RANGES) => numberOption(op, name, distortion[name], DISTORTION_RANGES[name].fallback, DISTORTION_RANGES[name].low, DISTORTION_RANGES[name].high);
  const shiftX = read('shiftX'), shiftY = read('shiftY'), rotate = read('rotate'), scale = read('scale'), blur = read('blur'), noise = read('noise');
  let out = x;
  if (shiftX !== 0 || shiftY !== 0 || rotate !== 0 || scale !== 1) {
    out = new Float32Array(x.length);
    warpSamples(out, x, Float64Array.from(distortionParams(rotate, scale, shiftY, shiftX)), 1, [C, H, W]); // (1)
  }
  if (blur > 0) {
    const r = Math.ceil(3 * blur), k = 2 * r + 1, kernels = zeros([C, C, k, k]);
    let total = 0;
    const g = new Float32Array(k * k);
    for (let u = 0; u < k; u++) for (let v = 0; v < k; v++) { g[u * k + v] = Math.exp(-((u - r) ** 2 + (v - r) ** 2) / (2 * blur * blur)); total += g[u * k + v]; }
    for (let c = 0; c < C; c++) kernels.data.set(g.map((w) => w / total), (c * C + c) * k * k);
    out = conv3d(fromData(out, [C, H, W]), kernels, { padding: 'same' }).data; // (2)
  }
  if (noise > 0) {
    const random = seeded(numberOption(op, 'seed', distortion.seed, 1, -(2 ** 52), 2 ** 52));
    out = out === x ? Float32Array.from(x) : out;
    for (let p = 0; p < out.length; p++) out[p] = Math.min(1, Math.max(0, out[p] + noise * random.normal())); // (3)
  }
  return out === x ? Float32Array.from(x) : out;
}

/** The class probabilities of one picture. */
export function probabilities(model: Sequential, input: Tensor | Float32Array): Float32Array {
  const x = sampleOf('probabilities', model.inputShape, input);
  return Float32Array.from(probabilitiesOf(model, model.forwardBatch(x, 1).slice(0, model.classes), 1));
}

export interface FgsmPoint { epsilon: number; predicted: number; probability: number }
export interface Fgsm {
  /** The class predicted for the clean picture (the one to flip). */
  klass: number;
  /** sign(∂L/∂x) of (4), in the input's layout: −1, 0 or 1. */
  sign: Float32Array;
  /** Every grid point of (5): the class predicted and p_klass there. */
  curve: FgsmPoint[];
  /** ε* of (5), null when no ε up to ε_max flips it; the picture there, its prediction and probabilities. */
  epsilon: number | null; adversarial: Float32Array | null; predicted: number | null; probabilitiesAt: Float32Array | null;
}

/** (4) for one picture at one ε. */
export function fgsmImage(input: Float32Array, sign: Float32Array, epsilon: number): Float32Array {
  return Float32Array.from(input, (v, p) => Math.min(1, Math.max(0, v + epsilon * sign[p])));
}

/** (4)–(5) for one picture; `maxEpsilon` in (0, 1], `steps` 1…200 grid intervals. */
export function fgsm(model: Sequential, input: Tensor | Float32Array, options: { maxEpsilon?: number | null; steps?: number | null } = {}): Fgsm {
  const op = 'fgsm';
  const x = sampleOf(op, model.inputShape, input);
  const maxEpsilon = numberOption(op, 'maxEpsilon', options.maxEpsilon, 0.5, 1e-6, 1);
  const steps = integerOption(op, 'steps', options.steps, 60, 1, 200);
  const clean = probabilities(model, x);
  const klass = argmax(clean);
  const gradient = explainModelGradients(model, fromData(x, model.inputShape), klass).gradients[0].data;
  const sign = Float32Array.from(gradient, (g) => Math.sign(g));
  const size = x.length, batch = new Float32Array((steps + 1) * size);
  for (let i = 0; i <= steps; i++) batch.set(fgsmImage(x, sign, (i * maxEpsilon) / steps), i * size);
  const out = probabilitiesOf(model, model.predict(fromData(batch, [steps + 1, ...model.inputShape])).data, steps + 1);
  const curve: FgsmPoint[] = [];
  for (let i = 0; i <= steps; i++) {
    const row = out.subarray(i * model.classes, (i + 1) * model.classes);
    curve.push({ epsilon: (i * maxEpsilon) / steps, predicted: argmax(row), probability: row[klass] });
  }
  const first = curve.findIndex((point, i) => i > 0 && point.predicted !== klass);
  if (first < 0) return { klass, sign, curve, epsilon: null, adversarial: null, predicted: null, probabilitiesAt: null };
  let low = curve[first - 1].epsilon, high = curve[first].epsilon;
  for (let n = 0; n < 30 && high - low > 1e-6 * maxEpsilon; n++) { // (5): keep high flipped, low not
    const middle = (low + high) / 2;
    if (argmax(probabilities(model, fgsmImage(x, sign, middle))) !== klass) high = middle; else low = middle;
  }
  const adversarial = fgsmImage(x, sign, high), p = probabilities(model, adversarial);
  return { klass, sign, curve, epsilon: high, adversarial, predicted: argmax(p), probabilitiesAt: p };
}
