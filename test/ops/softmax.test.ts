// The fused softmax-cross-entropy rule lives once, in core/ops/softmax.ts: the trainer's shard step, the playground's
// loss and the explainer's ∂L/∂z all call softmaxCrossEntropyKernel, so they give the same bits; the kernel agrees with
// an independent float64 statement of (softmax(z) − onehot(t))/N.
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { Sequential, softmaxCrossEntropy, softmaxCrossEntropyBackward, softmaxCrossEntropyKernel, playgroundLoss, tensor } from '../../core/index.js';
import { lossAndGradient } from '../../core/nn/shards.js';
import { filesMatching } from '../helpers.js';

/** (softmax(z) − onehot(t))/N and mean(logsumexp(z) − z[t]) in float64, written apart from the kernel. */
function reference(z: number[][], t: number[]) {
  let loss = 0;
  const d = z.map((row, n) => {
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    loss += max + Math.log(sum) - row[t[n]];
    return row.map((v, c) => (Math.exp(v - max) / sum - (c === t[n] ? 1 : 0)) / z.length);
  });
  return { d, loss: loss / z.length };
}

describe('one fused softmax-cross-entropy gradient', () => {
  it('equals (softmax(z) − onehot(t))/N and the mean loss, computed apart in float64, also for logits of ±1000', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 2, max: 6 }), fc.integer(), fc.boolean(), (N, C, seed, wide) => {
      let s = seed >>> 0;
      const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
      const z = Array.from({ length: N }, () => Array.from({ length: C }, () => Math.fround((next() * 2 - 1) * (wide ? 1000 : 5))));
      const t = Array.from({ length: N }, () => Math.floor(next() * C));
      const want = reference(z, t);
      const got = softmaxCrossEntropyBackward(tensor(z), t);
      for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) expect(Math.abs(got.get(n, c) - want.d[n][c])).toBeLessThanOrEqual(1e-7 + 1e-6 * Math.abs(want.d[n][c]));
      expect(softmaxCrossEntropy(tensor(z), t)).toBeCloseTo(want.loss, wide ? 2 : 5);
    }));
  });

  it('the trainer, the playground and the explainer give the same bits: loss, right answers and ∂L/∂z', () => {
    const model = new Sequential({ inputShape: [3], layers: [{ type: 'dense', units: 4 }, { type: 'softmax' }], seed: 7 });
    const m = 5, inputs = Float32Array.from({ length: m * 3 }, (_, i) => Math.sin(i * 1.7) * 3), labels = Int32Array.from([0, 3, 1, 2, 3]);
    const output = model.forwardBatch(inputs, m, false, null);
    const logits = Float32Array.from((model.layers[1] as unknown as { logits: Float32Array }).logits.subarray(0, m * 4));
    for (const divisor of [m, 8, 11]) {
      const trainer = new Float32Array(m * 4), playground = new Float32Array(m * 4);
      const a = lossAndGradient(model, output, labels, m, 'crossEntropy', trainer, divisor);
      const b = playgroundLoss(model, 'multiclass', output, labels, m, playground, divisor);
      expect(Array.from(playground)).toEqual(Array.from(trainer));
      expect([b.loss, b.right, b.from]).toEqual([a.loss, a.right, a.from]);
      const kernel = new Float32Array(m * 4);
      expect(softmaxCrossEntropyKernel(kernel, logits, labels, m, 4, divisor)).toEqual({ lossSum: a.loss * m, right: a.right });
      expect(Array.from(kernel)).toEqual(Array.from(trainer));
    }
    // the backward view's ∂L/∂z of one sample is the number the trainer uses for a batch of that one sample
    for (let n = 0; n < m; n++) {
      const one = new Float32Array(4);
      const out = model.forwardBatch(inputs.subarray(n * 3, n * 3 + 3), 1, false, null);
      const row = Array.from((model.layers[1] as unknown as { logits: Float32Array }).logits.subarray(0, 4));
      lossAndGradient(model, out, labels.subarray(n, n + 1), 1, 'crossEntropy', one);
      expect(Array.from(softmaxCrossEntropyBackward(tensor(row), labels[n]).data)).toEqual(Array.from(one));
    }
  });

  it('is written once: no other file computes logsumexp or e^(z − lse) itself', () => {
    expect(filesMatching(['core', 'viz/src'], /logSumExp\(|Math\.exp\([^)]*- *lse\b/, ['core/ops/softmax.ts'])).toEqual([]);
  });
});
