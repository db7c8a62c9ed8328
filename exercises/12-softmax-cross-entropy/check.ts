import { tensor, toArray, softmaxCrossEntropy as referenceLoss, softmaxCrossEntropyBackward as referenceGrad, softmax } from '../../core/index.js';
import { type Check, runCase, show, close, type CaseResult } from '../lib.js';

export const check: Check = {
  title: 'softmax cross-entropy and its gradient p − t',
  run(impl) {
    const loss = impl.softmaxCrossEntropy as (z: number[], t: number) => number;
    const grad = impl.softmaxCrossEntropyGradient as (z: number[], t: number) => number[];
    const cases: [string, number[], number][] = [['three classes', [2, 1, 0.1], 0], ['ten classes', [0.3, -1, 2, 0.5, 0, 1, -2, 0.7, 1.1, -0.4], 7],
      ['large logits', [1000, 1001, 1002], 1], ['p underflows: logits [−200, 0], target 0', [-200, 0], 0]];
    const results: CaseResult[] = [];
    for (const [name, z, t] of cases) {
      results.push(runCase(`loss, ${name}`, `z ${show(z)}, target ${t}`, () => loss(z, t), referenceLoss(tensor(z), t), [
        { when: (a) => !Number.isFinite(a as number), hint: 'not finite: log(softmax) underflows or overflows; use logsumexp(z) − z[target] with the max subtracted' },
        { when: (a) => Math.abs((a as number) + referenceLoss(tensor(z), t)) < 1e-6, hint: 'the sign: the loss is −log p, a positive number' },
      ], 1e-5));
      results.push(runCase(`gradient, ${name}`, `z ${show(z)}, target ${t}`, () => grad(z, t), toArray(referenceGrad(tensor(z), t)), [
        { when: (a) => close(a, toArray(softmax(tensor(z)))), hint: 'that is p alone: subtract the one-hot target, dL/dz = p − t' },
        { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: subtract max(z) before exp' },
      ], 1e-5));
    }
    // finite difference of the learner's own loss
    const z = [0.2, -0.5, 1.3], h = 1e-5;
    let numeric: number[] = z.map(() => NaN);
    try { numeric = z.map((_, i) => { const p = z.slice(), m = z.slice(); p[i] += h; m[i] -= h; return (loss(p, 2) - loss(m, 2)) / (2 * h); }); } catch { /* the loss is not written yet */ }
    results.push(runCase('gradient agrees with a finite difference of your loss', `z ${show(z)}, target 2`, () => grad(z, 2), numeric,
      [{ when: () => numeric.some(Number.isNaN), hint: 'write softmaxCrossEntropy first: this case differentiates it numerically' }], 1e-4));
    return results;
  },
};
