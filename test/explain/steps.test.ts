// The step models agree with the ops they explain.
import { describe, it, expect } from 'vitest';
import { conv3d, maxPool, relu, normalize, dense, softmax, explainConv, explainMaxPool, explainRelu, explainNormalize, explainDense, explainSoftmax, contiguousData } from '../../core/index.js';
import { randomTensor, seeded } from '../helpers.js';

describe('step models', () => {
  const random = seeded(21);
  const input = randomTensor(random, [2, 7, 6]), kernels = randomTensor(random, [3, 2, 3, 3]), bias = randomTensor(random, [3]);

  it.each([[{}], [{ stride: 2, padding: 'same' as const }], [{ stride: [1, 2] as [number, number], padding: 1 }]])('conv steps rebuild conv3d %o', (options) => {
    const { steps, outShape } = explainConv(input, kernels, { ...options, bias });
    const out = conv3d(input, kernels, { ...options, bias });
    expect(outShape).toEqual(out.shape);
    expect(steps).toHaveLength(out.size);
    for (const step of steps) {
      const total = step.channelSums.reduce((a, b) => a + b, 0) + step.bias;
      expect(total).toBeCloseTo(out.get(step.k, step.i, step.j), 5);
      expect(step.products[1][2][0]).toBeCloseTo(step.window[1][2][0] * step.kernel[1][2][0], 6);
    }
  });
  it('conv steps for one kernel move the window by the stride', () => {
    const { steps } = explainConv(input, kernels, { stride: 2 }, 1);
    expect(steps.every((s) => s.k === 1)).toBe(true);
    expect([steps[0].x, steps[1].x, steps[1].y]).toEqual([0, 2, 0]);
  });
  it('pool steps hold each window, its arg-max and max', () => {
    const { steps } = explainMaxPool(input, { size: 3, stride: 2 });
    const out = maxPool(input, { size: 3, stride: 2 });
    expect(steps.map((s) => s.max)).toEqual(Array.from(contiguousData(out)));
    for (const s of steps) expect(input.get(s.c, s.argmax[0], s.argmax[1])).toBe(s.max);
  });
  it('relu steps', () => expect(explainRelu(input).steps.map((s) => s.after)).toEqual(Array.from(relu(input).data)));
  it('normalize steps hold the statistics and every value after', () => {
    const { steps } = explainNormalize(input);
    expect(steps.flatMap((s) => s.after)).toEqual(Array.from(normalize(input).data));
    const map = Array.from(input.data.subarray(0, 42));
    expect(steps[0].mean).toBeCloseTo(map.reduce((a, b) => a + b) / 42, 6);
  });
  it('dense steps are the dot products of dense', () => {
    const W = randomTensor(random, [4, 84]), b = randomTensor(random, [4]);
    const out = dense(input, W, b);
    explainDense(input, W, b).steps.forEach((s, o) => expect(s.result).toBeCloseTo(out.get(o), 5));
  });
  it('softmax stages', () => {
    const z = randomTensor(random, [10], -5, 5);
    const e = explainSoftmax(z);
    expect(e.probabilities).toEqual(Array.from(softmax(z).data));
    expect(e.exponentials.map((v) => v / e.sum).every((p, i) => Math.abs(p - e.probabilities[i]) < 1e-6)).toBe(true);
  });
  it('says clearly why a setting is impossible', () => {
    expect(() => explainConv(input, randomTensor(random, [1, 2, 9, 9]))).toThrow(/kernel 9×9 is larger than the padded 7×6 input/);
  });
});
