import { tensor, toArray, softmaxCrossEntropyBackward as referenceGrad, softmax } from '../../core/index.js';
import { type Check, type Case, runCase, show, close } from '../lib.js';

/** Float64 reference: logsumexp(z) − z[t] (core works in float32, where e^−104 already underflows). */
const lossOf = (z: number[], t: number) => { const m = Math.max(...z); return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[t]; };
const naive = (z: number[], t: number) => { const m = Math.max(...z); const e = z.map((v) => Math.exp(v - m)); return -Math.log(e[t] / e.reduce((a, b) => a + b, 0)); };

export const check: Check = {
  title: 'softmax cross-entropy and its gradient p − t',
  exports: ['softmaxCrossEntropy', 'softmaxCrossEntropyGradient'],
  hints: [
    'write the loss with logs: −log(e^(z_t) / Σ_j e^(z_j)) = log Σ_j e^(z_j) − z_t',
    'logsumexp(z) = m + log Σ_j e^(z_j − m) with m = max(z): no exponent is above 0, and the sum is at least 1',
    'the gradient is p − onehot(t): softmax (max subtracted), then subtract 1 at the target',
  ],
  cases(impl) {
    const loss = impl.softmaxCrossEntropy as (z: number[], t: number) => number;
    const grad = impl.softmaxCrossEntropyGradient as (z: number[], t: number) => number[];
    const list: [string, number[], number][] = [['three classes', [2, 1, 0.1], 0], ['ten classes', [0.3, -1, 2, 0.5, 0, 1, -2, 0.7, 1.1, -0.4], 7],
      ['large logits', [1000, 1001, 1002], 1], ['p underflows even in float64: logits [−1000, 0], target 0', [-1000, 0], 0],
      ['p underflows: logits [5, −800, 3], target 1', [5, -800, 3], 1]];
    const cases: Case[] = [];
    for (const [name, z, t] of list) {
      const want = lossOf(z, t);
      cases.push(runCase(`loss, ${name}`, `z ${show(z)}, target ${t}`, () => loss(z.slice(), t), want, [
        { when: (a) => a === Infinity && naive(z, t) === Infinity, hint: 'Infinity: softmax(z)[target] underflows to 0 and −log(0) = ∞; compute logsumexp(z) − z[target] instead of taking the log of p' },
        { when: (a) => !Number.isFinite(a as number), hint: 'not finite: an exponent overflows; subtract max(z) inside logsumexp' },
        { when: (a) => Math.abs((a as number) + want) < 1e-6 * (1 + Math.abs(want)), hint: 'the sign: the loss is −log p, a positive number' },
      ], 1e-6));
      cases.push(runCase(`gradient, ${name}`, `z ${show(z)}, target ${t}`, () => grad(z.slice(), t), toArray(referenceGrad(tensor(z), t)), [
        { when: (a) => close(a, toArray(softmax(tensor(z))), 1e-5), hint: 'that is p alone: subtract the one-hot target, dL/dz = p − t' },
        { when: (a) => close(a, (toArray(referenceGrad(tensor(z), t)) as number[]).map((v) => -v), 1e-5), hint: 'the sign: dL/dz = p − t, not t − p' },
        { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: subtract max(z) before exp' },
      ], 1e-5));
    }
    // finite difference of the learner's own loss
    const z = [0.2, -0.5, 1.3], h = 1e-5;
    cases.push(runCase('gradient agrees with a finite difference of your loss', `z ${show(z)}, target 2`, () => grad(z.slice(), 2), () => {
      try { return z.map((_, i) => { const p = z.slice(), m = z.slice(); p[i] += h; m[i] -= h; return (loss(p, 2) - loss(m, 2)) / (2 * h); }); } catch { return z.map(() => NaN); }
    }, [{ when: () => { try { loss(z.slice(), 2); return false; } catch { return true; } }, hint: 'write softmaxCrossEntropy first: this case differentiates it numerically' }], 1e-4));
    return cases;
  },
};
