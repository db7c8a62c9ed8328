// Finite-difference checks: every backward pass returns the gradient of Σ out·dOut.
import { describe, it } from 'vitest';
import {
  type Tensor, tensor, conv3d, conv3dBackward, maxPool, maxPoolBackward, normalize, normalizeBackward, dense, denseBackward,
  softmax, softmaxBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward, crossEntropy, crossEntropyBackward, mse, mseBackward,
  relu, reluBackward, leakyRelu, leakyReluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward, type Conv3dOptions,
} from '../../core/index.js';
import { centralDifference, dot, expectRelativeClose, randomTensor, seeded, underEachKernels } from '../helpers.js';

/** Values kept at least `gap` away from 0, so a step of h never crosses relu's kink. */
function offKink(x: Tensor, gap: number): Tensor {
  return tensor(Array.from(x.data, (v) => (Math.abs(v) < gap ? (v < 0 ? -gap : gap) + v : v)), x.shape);
}

underEachKernels(() => {
  describe('conv3dBackward', () => {
    const cases: [string, number[], number[], Conv3dOptions][] = [
      ['valid, stride 1', [2, 6, 6], [3, 2, 3, 3], {}],
      ['same, stride 1, 8 wide (the kernel gradient without im2col), 27 taps, 5 kernels', [3, 5, 8], [5, 3, 3, 3], { padding: 'same' }],
      ['same, stride 2, even kernel', [2, 7, 6], [2, 2, 2, 4], { stride: 2, padding: 'same' }],
      ['batch, padding pair, stride pair', [2, 2, 5, 6], [3, 2, 3, 2], { stride: [2, 1], padding: [1, 2] }],
    ];
    it.each(cases)('%s', (_, inputShape, kernelShape, options) => {
      const random = seeded(1);
      const input = randomTensor(random, inputShape), kernels = randomTensor(random, kernelShape);
      const bias = randomTensor(random, [kernelShape[0]]);
      const dOut = randomTensor(random, conv3d(input, kernels, options).shape);
      const { dInput, dKernels, dBias } = conv3dBackward(input, kernels, dOut, { ...options, bias });
      expectRelativeClose(dInput, centralDifference((x) => dot(conv3d(x, kernels, { ...options, bias }), dOut), input), 1e-2);
      expectRelativeClose(dKernels, centralDifference((w) => dot(conv3d(input, w, { ...options, bias }), dOut), kernels), 1e-2);
      expectRelativeClose(dBias, centralDifference((b) => dot(conv3d(input, kernels, { ...options, bias: b }), dOut), bias), 1e-2);
    });
  });

  describe('maxPoolBackward', () => {
    it.each([[{ size: 2 }], [{ size: 3, stride: 1 }], [{ size: [2, 3] as [number, number], stride: [1, 2] as [number, number] }]])('%o', (options) => {
      // distinct values 0.1 apart (shuffled), so a step of h never changes a window's arg-max
      const random = seeded(2);
      const values = random.shuffle(Array.from({ length: 2 * 2 * 7 * 7 }, (_, i) => i * 0.1));
      const x = tensor(values, [2, 2, 7, 7]);
      const dOut = randomTensor(random, maxPool(x, options).shape);
      expectRelativeClose(maxPoolBackward(x, dOut, options), centralDifference((xx) => dot(maxPool(xx, options), dOut), x, { h: 1e-2 }), 1e-2);
    });
  });

  describe('normalizeBackward', () => {
    it.each([[1e-5], [0.3]])('eps %f', (eps) => {
      const random = seeded(3);
      const x = randomTensor(random, [2, 3, 4, 4], -2, 2), dOut = randomTensor(random, [2, 3, 4, 4]);
      expectRelativeClose(normalizeBackward(x, dOut, { eps }), centralDifference((xx) => dot(normalize(xx, { eps }), dOut), x, { h: 1e-2 }), 2e-2);
    });
  });

  describe('denseBackward', () => {
    it.each([['sample', [2, 3, 3]], ['batch', [4, 2, 3, 3]]])('%s', (_, shape) => {
      const random = seeded(4);
      const x = randomTensor(random, shape as number[]), W = randomTensor(random, [5, 18]), b = randomTensor(random, [5]);
      const dOut = randomTensor(random, dense(x, W, b).shape);
      const { dInput, dW, db } = denseBackward(x, W, dOut);
      expectRelativeClose(dInput, centralDifference((xx) => dot(dense(xx, W, b), dOut), x), 1e-2);
      expectRelativeClose(dW, centralDifference((ww) => dot(dense(x, ww, b), dOut), W), 1e-2);
      expectRelativeClose(db, centralDifference((bb) => dot(dense(x, W, bb), dOut), b), 1e-2);
    });
  });

  describe('element-wise backward passes', () => {
    const random = seeded(5);
    const x = offKink(randomTensor(random, [3, 4, 5], -3, 3), 0.05), dOut = randomTensor(random, [3, 4, 5]);
    it('relu', () => expectRelativeClose(reluBackward(x, dOut), centralDifference((z) => dot(relu(z), dOut), x), 1e-2));
    it('leakyRelu', () => expectRelativeClose(leakyReluBackward(x, dOut, { alpha: 0.2 }), centralDifference((z) => dot(leakyRelu(z, { alpha: 0.2 }), dOut), x), 1e-2));
    it('sigmoid', () => expectRelativeClose(sigmoidBackward(x, dOut), centralDifference((z) => dot(sigmoid(z), dOut), x), 1e-2));
    it('tanh', () => expectRelativeClose(tanhBackward(x, dOut), centralDifference((z) => dot(tanh(z), dOut), x), 1e-2));
  });

  describe('softmax and loss gradients', () => {
    const random = seeded(6);
    const z = randomTensor(random, [3, 10], -3, 3), dOut = randomTensor(random, [3, 10]);
    const targets = [3, 0, 9];
    it('softmaxBackward', () => expectRelativeClose(softmaxBackward(z, dOut), centralDifference((zz) => dot(softmax(zz), dOut), z), 1e-2));
    it('softmaxCrossEntropyBackward', () =>
      expectRelativeClose(softmaxCrossEntropyBackward(z, targets), centralDifference((zz) => softmaxCrossEntropy(zz, targets), z), 1e-2));
    it('crossEntropyBackward', () => {
      const p = softmax(z);
      expectRelativeClose(crossEntropyBackward(p, targets), centralDifference((pp) => crossEntropy(pp, targets), p, { h: 1e-3 }), 2e-2);
    });
    it('mseBackward', () => {
      const pred = randomTensor(random, [4, 3]);
      expectRelativeClose(mseBackward(pred, [0, 2, 1, 1]), centralDifference((pp) => mse(pp, [0, 2, 1, 1]), pred), 1e-2);
    });
  });
});
