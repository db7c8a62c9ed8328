// Every op against the independent numpy reference in test/fixtures/golden.json.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  tensor, conv3d, conv3dBackward, maxPool, maxPoolBackward, normalize, normalizeBackward, dense, denseBackward,
  softmax, softmaxBackward, crossEntropy, softmaxCrossEntropy, softmaxCrossEntropyBackward, mse, mseBackward,
  relu, reluBackward, leakyRelu, leakyReluBackward, sigmoid, sigmoidBackward, tanh, tanhBackward, type Padding, type Pair,
} from '../../core/index.js';
import { expectClose, shapeOf, underEachKernels } from '../helpers.js';

const golden = JSON.parse(readFileSync(new URL('../fixtures/golden.json', import.meta.url), 'utf8'));
const t = (nested: unknown) => tensor(nested as number[]);

underEachKernels(() => {
  describe('conv3d and conv3dBackward match numpy', () => {
    it.each(golden.conv3d as any[])('$name', (c) => {
      const options = { bias: c.bias ? t(c.bias) : undefined, stride: c.stride as Pair, padding: c.padding as Padding };
      const out = conv3d(t(c.input), t(c.kernels), options);
      expect(out.shape).toEqual(shapeOf(c.expected));
      expectClose(out, c.expected, { atol: 1e-5 });
      const { dInput, dKernels, dBias } = conv3dBackward(t(c.input), t(c.kernels), t(c.dOut), options);
      expect(dInput.shape).toEqual(shapeOf(c.input));
      expectClose(dInput, c.dInput, { atol: 1e-4 });
      expectClose(dKernels, c.dKernels, { atol: 1e-4 });
      expectClose(dBias, c.dBias, { atol: 1e-4 });
    });
  });

  describe('maxPool and maxPoolBackward match numpy', () => {
    it.each(golden.maxPool as any[])('$name', (c) => {
      const options = { size: c.size, stride: c.stride };
      const out = maxPool(t(c.x), options);
      expect(out.shape).toEqual(shapeOf(c.expected));
      expectClose(out, c.expected, { atol: 0, rtol: 0 });
      expectClose(maxPoolBackward(t(c.x), t(c.dOut), options), c.dx, { atol: 1e-6 });
    });
  });

  describe('normalize and normalizeBackward match numpy', () => {
    it.each(golden.normalize as any[])('$name', (c) => {
      expectClose(normalize(t(c.x), { eps: c.eps }), c.expected, { atol: 2e-5 });
      expectClose(normalizeBackward(t(c.x), t(c.dOut), { eps: c.eps }), c.dx, { atol: 1e-3, rtol: 1e-3 });
    });
  });

  describe('dense and denseBackward match numpy', () => {
    it.each(golden.dense as any[])('$name', (c) => {
      const out = dense(t(c.x), t(c.weights), c.bias ? t(c.bias) : undefined);
      expect(out.shape).toEqual(shapeOf(c.expected));
      expectClose(out, c.expected, { atol: 1e-5 });
      const { dInput, dW, db } = denseBackward(t(c.x), t(c.weights), t(c.dOut));
      expect(dInput.shape).toEqual(shapeOf(c.x));
      expectClose(dInput, c.dX, { atol: 1e-5 });
      expectClose(dW, c.dW, { atol: 1e-5 });
      expectClose(db, c.db, { atol: 1e-5 });
    });
  });

  describe('softmax matches numpy', () => {
    it.each(golden.softmax as any[])('$name', (c) => {
      expectClose(softmax(t(c.logits)), c.expected, { atol: 1e-6 });
      expectClose(softmaxBackward(t(c.logits), t(c.dOut)), c.dLogits, { atol: 1e-6 });
    });
  });

  describe('losses match numpy', () => {
    it.each((golden.losses as any[]).filter((c) => c.logits))('$name', (c) => {
      expectClose(softmaxCrossEntropy(t(c.logits), c.target), c.softmaxCrossEntropy, { atol: 1e-5 });
      expectClose(softmaxCrossEntropyBackward(t(c.logits), c.target), c.softmaxCrossEntropyBackward, { atol: 1e-6 });
      if (c.crossEntropy !== null) expectClose(crossEntropy(t(c.probs), c.target), c.crossEntropy, { atol: 1e-5 });
    });
    it('mse against one-hot targets', () => {
      const c = (golden.losses as any[]).find((x) => x.pred);
      expectClose(mse(t(c.pred), c.target), c.mse, { atol: 1e-6 });
      expectClose(mseBackward(t(c.pred), c.target), c.mseBackward, { atol: 1e-6 });
    });
    it('softmaxCrossEntropy stays finite where p underflows: logits [−200, 0], target 0 → 200', () => {
      expect(softmaxCrossEntropy(tensor([-200, 0]), 0)).toBeCloseTo(200, 4);
    });
  });

  describe('activations match numpy', () => {
    const c = golden.activations[0];
    const x = t(c.x), dOut = t(c.dOut);
    it('relu', () => { expectClose(relu(x), c.relu, { atol: 0 }); expectClose(reluBackward(x, dOut), c.reluBackward, { atol: 0 }); });
    it('leakyRelu', () => { expectClose(leakyRelu(x), c.leakyRelu); expectClose(leakyReluBackward(x, dOut), c.leakyReluBackward); });
    it('sigmoid', () => { expectClose(sigmoid(x), c.sigmoid, { atol: 1e-6 }); expectClose(sigmoidBackward(x, dOut), c.sigmoidBackward, { atol: 1e-6 }); });
    it('tanh', () => { expectClose(tanh(x), c.tanh, { atol: 1e-6 }); expectClose(tanhBackward(x, dOut), c.tanhBackward, { atol: 1e-6 }); });
  });
});
