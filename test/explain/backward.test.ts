// The backward step models agree with the ops' backward passes, and a whole model's gradients with finite differences.
import { describe, it, expect } from 'vitest';
import {
  tensor, reshape, contiguousData, fromData, conv3d, conv3dBackward, denseBackward, maxPoolBackward, normalizeBackward,
  softmaxCrossEntropy, softmaxCrossEntropyBackward, reluBackward, leakyReluBackward, sigmoidBackward, tanhBackward,
  explainSoftmaxCrossEntropyBackward, explainDenseBackward, explainMaxPoolBackward, explainActivationBackward,
  explainNormalizeBackward, explainConvBackward, explainModelGradients, Sequential, computeGradients, type Tensor,
  type Conv3dOptions, type MaxPoolOptions, type ActivationType, type LayerConfig,
} from '../../core/index.js';
import { randomTensor, seeded, underEachKernels } from '../helpers.js';

const near = (a: number, b: number, tolerance = 1e-5) => {
  if (!(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)))) throw new Error(`expected ${b}, got ${a}`);
};
const all = <S>(list: { count: number; at(i: number): S }) => Array.from({ length: list.count }, (_, i) => list.at(i));
/** The same sample as a batch of one [1, ...shape]. */
const batchOfOne = (x: Tensor) => fromData(Float32Array.from(contiguousData(x)), [1, ...x.shape]);

describe('softmax + cross-entropy backward', () => {
  it('each class gets p − onehot(y); the loss is the op\'s', () => {
    const z = randomTensor(seeded(1), [10], -4, 4);
    const e = explainSoftmaxCrossEntropyBackward(z, 3);
    expect(Array.from(e.dLogits.data)).toEqual(Array.from(softmaxCrossEntropyBackward(z, 3).data));
    expect(e.loss).toBe(softmaxCrossEntropy(z, 3));
    for (const s of all(e.steps)) near(s.gradient, s.p - s.onehot, 1e-7);
    expect(all(e.steps).filter((s) => s.onehot === 1).map((s) => s.c)).toEqual([3]);
    // a batch of one gives the same gradient
    expect(Array.from(softmaxCrossEntropyBackward(reshape(z, [1, 10]), [3]).data)).toEqual(Array.from(e.dLogits.data));
  });
});

underEachKernels(() => {
  describe('dense backward', () => {
    const random = seeded(2);
    const x = randomTensor(random, [2, 3, 4]), W = randomTensor(random, [5, 24]), dOut = randomTensor(random, [5]);
    const e = explainDenseBackward(x, W, dOut);
    // denseGeometry reads x of exactly `in` values as one sample even as [1,2,3,4], so its batch of one is two samples' worth
    const core = denseBackward(x, W, dOut), pair = denseBackward(tensor([...x.data, ...x.data], [2, 24]), W, tensor([...dOut.data, ...dOut.data], [2, 5]));

    it('∂L/∂W[o,i] = δ[o]·x[i], one cell at a time, equals denseBackward', () => {
      const steps = all(e.weightSteps);
      expect(steps.map((s) => s.value)).toEqual(Array.from(core.dW.data));
      Array.from(pair.dW.data).forEach((v, n) => expect(v).toBe(2 * core.dW.data[n]));
      for (const s of steps) expect(s.value).toBe(Math.fround(s.delta * s.input));
    });
    it('∂L/∂b = δ and ∂L/∂x = Wᵀδ, term by term', () => {
      expect(all(e.biasSteps).map((s) => s.value)).toEqual(Array.from(core.db.data));
      expect(all(e.biasSteps).map((s) => s.delta)).toEqual(Array.from(dOut.data));
      const steps = all(e.inputSteps);
      expect(steps.map((s) => s.value)).toEqual(Array.from(core.dInput.data));
      expect(Array.from(pair.dInput.data.subarray(24))).toEqual(Array.from(core.dInput.data));
      for (const s of steps) { expect(s.terms).toHaveLength(5); near(s.sum, s.value); }
    });
    it('names the mismatch', () => {
      expect(() => explainDenseBackward(x, W, randomTensor(random, [4]))).toThrow(/explainDenseBackward: dOut must have shape \[5\], got \[4\]/);
    });
  });

  describe('max pool backward', () => {
    const random = seeded(3);
    const x = randomTensor(random, [2, 7, 8]);
    const cases: MaxPoolOptions[] = [{ size: 2 }, { size: 3, stride: 2 }, { size: 3, stride: 1 }, { size: [2, 3], stride: [1, 2] }];
    it.each(cases)('routes every window to its arg-max; overlaps add up: %o', (options) => {
      const outShape = maxPoolShape(x, options);
      const dOut = randomTensor(random, outShape);
      const e = explainMaxPoolBackward(x, dOut, options);
      const core = maxPoolBackward(x, dOut, options);
      expect(Array.from(e.dInput.data)).toEqual(Array.from(core.data));
      expect(Array.from(maxPoolBackward(batchOfOne(x), batchOfOne(dOut), options).data)).toEqual(Array.from(core.data));
      // each input pixel's collected gradients sum to maxPoolBackward's value there
      for (let c = 0; c < 2; c++) for (let y = 0; y < 7; y++) for (let xx = 0; xx < 8; xx++) {
        const collected = e.sources(c, y, xx).reduce((s, o) => s + e.steps.at(o).delta, 0);
        near(collected, core.get(c, y, xx), 1e-6);
      }
      expect(Array.from(e.partial(e.steps.count))).toEqual(Array.from(core.data));
      for (const [o, s] of all(e.steps).entries()) {
        // the last window routed to a pixel leaves it holding maxPoolBackward's value, bit for bit
        if (e.sources(s.c, s.argmax[0], s.argmax[1]).at(-1) === o) expect(s.after).toBe(core.get(s.c, s.argmax[0], s.argmax[1]));
        expect(x.get(s.c, s.argmax[0], s.argmax[1])).toBe(s.max);
        expect(s.after).toBe(Math.fround(s.before + s.delta));
      }
    });
    it('takes the arg-max from the kernel: ties go to the first, NaN wins its window', () => {
      const data = tensor([[[1, 1, 0, 0], [1, 1, 0, NaN]]]);
      const e = explainMaxPoolBackward(data, tensor([[[5, 7]]]), { size: 2 });
      expect(e.steps.at(0).argmax).toEqual([0, 0]);
      expect(e.steps.at(1).argmax).toEqual([1, 3]);
      expect(Array.from(e.dInput.data)).toEqual(Array.from(maxPoolBackward(data, tensor([[[5, 7]]]), { size: 2 }).data));
    });
  });

  describe('conv backward', () => {
    const random = seeded(4);
    const input = randomTensor(random, [2, 7, 6]);
    const cases: [number[], Conv3dOptions][] = [
      [[3, 2, 3, 3], {}], [[3, 2, 3, 3], { stride: 2, padding: 'same' }], [[2, 2, 3, 3], { stride: [1, 2], padding: 1 }],
      [[2, 2, 3, 2], { stride: 3, padding: [2, 1] }], [[2, 2, 2, 4], { padding: 'same' }], [[1, 2, 1, 1], {}],
    ];
    it.each(cases)('kernels %o %o: every step adds up to conv3dBackward', (shape, options) => {
      const kernels = randomTensor(random, shape);
      const out = conv3d(input, kernels, options);
      const dOut = randomTensor(random, out.shape);
      const e = explainConvBackward(input, kernels, dOut, options);
      const core = conv3dBackward(input, kernels, dOut, options);
      const batch = conv3dBackward(batchOfOne(input), kernels, batchOfOne(dOut), options);
      expect(e.outShape).toEqual(out.shape);
      for (const [mine, theirs, fromBatch] of [[e.dKernels, core.dKernels, batch.dKernels], [e.dBias, core.dBias, batch.dBias], [e.dInput, core.dInput, batch.dInput]]) {
        expect(Array.from(mine.data)).toEqual(Array.from(theirs.data));
        expect(Array.from(fromBatch.data)).toEqual(Array.from(theirs.data));
      }
      const weights = all(e.weightSteps);
      expect(weights.map((s) => s.value)).toEqual(Array.from(core.dKernels.data));
      for (const s of weights) {
        near(s.sum, s.value);
        expect(s.terms).toHaveLength(out.shape[1] * out.shape[2]);
        expect(s.terms[0].y).toBe(s.y);
      }
      const biases = all(e.biasSteps);
      expect(biases.map((s) => s.value)).toEqual(Array.from(core.dBias.data));
      for (const s of biases) near(s.sum, s.value);
      const inputs = all(e.inputSteps);
      expect(inputs.map((s) => s.value)).toEqual(Array.from(core.dInput.data));
      for (const s of inputs) {
        near(s.sum, s.value);
        // each term is a window that really read this position
        for (const t of s.terms) {
          expect(t.i * e.strideH + t.u - e.padTop).toBe(s.y);
          expect(t.j * e.strideW + t.v - e.padLeft).toBe(s.x);
        }
      }
    });
    it('∂L/∂x is a full correlation of δ with the kernels turned 180° (stride 1)', () => {
      const kernels = randomTensor(random, [3, 2, 3, 3]), padding = 1;
      const dOut = randomTensor(random, conv3d(input, kernels, { padding }).shape);
      const [K, C, kh, kw] = kernels.shape;
      const flipped = new Float32Array(C * K * kh * kw); // [C,K,kh,kw]: channels and kernels swapped, turned 180°
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        flipped[((c * K + k) * kh + (kh - 1 - u)) * kw + (kw - 1 - v)] = kernels.get(k, c, u, v);
      }
      const full = conv3d(dOut, tensor(flipped, [C, K, kh, kw]), { padding: [kh - 1 - padding, kw - 1 - padding] });
      const e = explainConvBackward(input, kernels, dOut, { padding });
      Array.from(full.data).forEach((v, n) => near(v, e.dInput.data[n]));
    });
  });
});

describe('activation backward', () => {
  const random = seeded(5);
  const x = randomTensor(random, [2, 3, 4], -3, 3), dOut = randomTensor(random, [2, 3, 4]);
  const ops: Record<ActivationType, (x: Tensor, d: Tensor) => Tensor> = {
    relu: reluBackward, leakyRelu: (a, d) => leakyReluBackward(a, d, { alpha: 0.1 }), sigmoid: sigmoidBackward, tanh: tanhBackward,
  };
  it.each(Object.keys(ops) as ActivationType[])('%s: δ·f′(x) equals the op', (kind) => {
    const e = explainActivationBackward(x, dOut, kind, { alpha: 0.1 });
    const core = ops[kind](x, dOut);
    expect(all(e.steps).map((s) => s.value)).toEqual(Array.from(core.data));
    expect(Array.from(ops[kind](batchOfOne(x), batchOfOne(dOut)).data)).toEqual(Array.from(core.data));
    for (const s of all(e.steps)) near(s.delta * s.derivative, s.value, 1e-6);
    expect(e.steps.at(13)).toMatchObject({ c: 1, y: 0, x: 1 });
  });
  it('relu′ is 0 at and below 0, leaky′ is α there', () => {
    const z = tensor([-1, 0, 2]), d = tensor([5, 5, 5]);
    expect(all(explainActivationBackward(z, d, 'relu').steps).map((s) => s.value)).toEqual([0, 0, 5]);
    expect(all(explainActivationBackward(z, d, 'leakyRelu', { alpha: 0.2 }).steps).map((s) => s.derivative)).toEqual([0.2, 0.2, 1]);
  });
});

describe('normalize backward', () => {
  it('its three terms add up to normalizeBackward', () => {
    const random = seeded(6);
    const x = randomTensor(random, [3, 4, 5]), dOut = randomTensor(random, [3, 4, 5]);
    const e = explainNormalizeBackward(x, dOut);
    const core = normalizeBackward(x, dOut);
    expect(Array.from(e.dInput.data)).toEqual(Array.from(core.data));
    expect(Array.from(normalizeBackward(batchOfOne(x), batchOfOne(dOut)).data)).toEqual(Array.from(core.data));
    for (const s of all(e.steps)) near(s.direct + s.meanTerm + s.varianceTerm, s.value, 1e-5);
    // the gradient of a normalised map sums to 0 (a shift of x changes nothing)
    for (let c = 0; c < 3; c++) near(Array.from(core.data.subarray(c * 20, c * 20 + 20)).reduce((a, b) => a + b), 0, 1e-5);
  });
});

describe('whole model gradients', () => {
  const layers: LayerConfig[] = [
    { type: 'conv', filters: 3, kernelSize: 3, stride: 2, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 },
    { type: 'maxPool', size: 3, stride: 2 }, { type: 'normalize' }, { type: 'conv', filters: 4, kernelSize: 2, padding: 1 }, { type: 'tanh' },
    { type: 'flatten' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 6 }, { type: 'sigmoid' }, { type: 'dense', units: 5 }, { type: 'relu' },
    { type: 'dense', units: 4 }, { type: 'softmax' },
  ];
  const model = new Sequential({ inputShape: [2, 13, 12], layers, init: 'heUniform', seed: 3 });
  const input = randomTensor(seeded(7), [2, 13, 12], 0, 1);
  const target = 2;
  const g = explainModelGradients(model, input, target);

  /** The loss from layer `from` on, with activation `a` in place of what the layer reads. */
  const lossFrom = (from: number, a: Tensor) => {
    let out = Float32Array.from(contiguousData(a));
    for (let i = from; i < model.layers.length - 1; i++) out = Float32Array.from(model.layers[i].forward(out, 1, false, null));
    return softmaxCrossEntropy(tensor(out, [4]), target);
  };
  it('keeps ∂L/∂(activation) for every layer, with each activation\'s shape', () => {
    expect(g.gradients).toHaveLength(layers.length + 1);
    g.gradients.forEach((d, i) => expect(d.shape).toEqual(g.activations[i].shape));
    expect(g.fused).toBe(true);
    near(g.loss, lossFrom(0, input));
  });
  it.each([0, 3, 5, 9, 11, 12])('∂L/∂(input of layer %i) equals a central difference on a few entries', (layer) => {
    const a = g.activations[layer], base = Float64Array.from(contiguousData(a)), d = g.gradients[layer].data;
    // the three largest gradients (never a dead unit) and the first entry
    const picks = [0, ...Array.from(d.keys()).sort((p, q) => Math.abs(d[q]) - Math.abs(d[p])).slice(0, 3)];
    expect(Math.abs(d[picks[1]])).toBeGreaterThan(1e-3);
    const h = 1e-3;
    for (const p of picks) {
      const plus = Float32Array.from(base), minus = Float32Array.from(base);
      plus[p] += h; minus[p] -= h;
      const numeric = (lossFrom(layer, fromData(plus, a.shape)) - lossFrom(layer, fromData(minus, a.shape))) / (plus[p] - minus[p]);
      expect(Math.abs(numeric - d[p])).toBeLessThan(1e-3 + 1e-2 * Math.abs(numeric));
    }
  });
  it('its parameter gradients equal the trainer\'s for a batch of one', () => {
    computeGradients(model, Float32Array.from(contiguousData(input)), Int32Array.of(target));
    let n = 0;
    g.parameters.forEach((p) => {
      if (!p) return;
      const mine = p.kind === 'conv' ? [p.kernels, p.bias] : p.kind === 'dense' ? [p.weights, p.bias] : [p.gamma, p.beta];
      for (const t of mine) {
        const theirs = model.params()[n++].grad.data;
        Array.from(t.data).forEach((v, i) => near(v, theirs[i], 1e-4));
      }
    });
    expect(n).toBe(model.params().length);
  });
  it('works for MSE and another target; refuses a class out of range', () => {
    const other = explainModelGradients(model, input, 0, { loss: 'mse' });
    expect(Array.from(other.gradients[14].data).every(Number.isFinite)).toBe(true);
    expect(other.fused).toBe(false);
    expect(() => explainModelGradients(model, input, 4)).toThrow(/target class 4 is out of range \(0\.\.3\)/);
    expect(() => explainModelGradients(model, randomTensor(seeded(1), [1, 13, 12]), 0)).toThrow(/takes one sample of \[2,13,12\], got \[1,13,12\]/);
  });
});

function maxPoolShape(x: Tensor, { size, stride }: MaxPoolOptions): number[] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = stride === undefined || stride === null ? [ph, pw] : typeof stride === 'number' ? [stride, stride] : stride;
  return [x.shape[0], Math.floor((x.shape[1] - ph) / sh) + 1, Math.floor((x.shape[2] - pw) / sw) + 1];
}
