// Occlusion and Grad-CAM against independent computations: a plain loop of single predictions for every square,
// a hand-built network whose Grad-CAM is known in closed form, and central differences for the map weights α_k.
import { describe, it, expect } from 'vitest';
import { Sequential, fromData, seeded, occlusion, gradCam, resize, gradCamLayers, softmax, type Tensor } from '../../../core/index.js';
import { loadModel, loadDigits } from '../../../core/node.js';

const cnn = loadModel(new URL('../../../viz/public/cnn.json', import.meta.url).pathname).model;
const { test: digits } = loadDigits();
const digit = (n: number) => digits.inputs.slice(n * 784, (n + 1) * 784);
const predictOne = (model: Sequential, x: Float32Array) => Array.from(model.predict(fromData(Float32Array.from(x), model.inputShape)).data);

describe('occlusion', () => {
  it('maps the drop in p[c] for every square position, as single predictions do', () => {
    const x = digit(3), c = digits.labels[3];
    const result = occlusion(cnn, x, c, { size: 7, stride: 5, fill: 0.5 });
    expect(result.rowStarts).toEqual([0, 5, 10, 15, 20, 21]); // the last square flush with the edge
    const base = predictOne(cnn, x)[c];
    expect(result.probability).toBeCloseTo(base, 6);
    result.rowStarts.forEach((r, ri) => result.colStarts.forEach((q, qi) => {
      const copy = Float32Array.from(x);
      for (let y = r; y < r + 7; y++) for (let xx = q; xx < q + 7; xx++) copy[y * 28 + xx] = 0.5;
      expect(result.drops[ri * result.cols + qi]).toBeCloseTo(base - predictOne(cnn, copy)[c], 5);
    }));
    // the top-left pixel is covered by the first square only; every pixel by at least one
    expect(result.heat[0]).toBeCloseTo(result.drops[0], 6);
    const covering = (y: number, x: number) => result.rowStarts.flatMap((r, ri) => result.colStarts.flatMap((q, qi) =>
      (y >= r && y < r + 7 && x >= q && x < q + 7 ? [result.drops[ri * result.cols + qi]] : [])));
    for (const [y, xx] of [[13, 13], [27, 27], [6, 22]]) {
      const d = covering(y, xx);
      expect(d.length).toBeGreaterThan(0);
      expect(result.heat[y * 28 + xx]).toBeCloseTo(d.reduce((a, b) => a + b, 0) / d.length, 5);
    }
  });

  it('refuses bad settings with the name and the range', () => {
    const x = digit(0);
    expect(() => occlusion(cnn, x, 10)).toThrow(/occlusion: class 10 is out of range \(0\.\.9\)/);
    expect(() => occlusion(cnn, x, 1, { size: 29 })).toThrow(/occlusion: size must be an integer 1…28, got 29/);
    expect(() => occlusion(cnn, x, 1, { stride: 0 })).toThrow(/stride must be an integer/);
    expect(() => occlusion(cnn, x, 1, { fill: Number.NaN })).toThrow(/fill must be a number 0…1/);
    expect(() => occlusion(cnn, new Float32Array(10), 1)).toThrow(/takes one sample of \[1,28,28\]/);
  });
});

/** conv 1×1 (two kernels: +1, −1) → relu → flatten → dense 2: relu(x) and relu(−x), weighted by the dense rows. */
function handBuilt(weights: number[][]) {
  const model = new Sequential({ inputShape: [1, 4, 4], layers: [{ type: 'conv', filters: 2, kernelSize: 1 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }, { type: 'softmax' }] });
  const [conv, , , dense] = model.layers as unknown as [{ kernels: Tensor; bias: Tensor }, unknown, unknown, { weights: Tensor; bias: Tensor }];
  conv.kernels.data.set([1, -1]); conv.bias.data.fill(0);
  dense.weights.data.set(weights.flat()); dense.bias.data.set([0.3, -0.2]);
  return model;
}

describe('Grad-CAM', () => {
  const random = seeded(5);
  const weights = [Array.from({ length: 32 }, () => random.uniform(-1, 1)), Array.from({ length: 32 }, () => random.uniform(-1, 1))];
  const model = handBuilt(weights);
  const x = Float32Array.from({ length: 16 }, () => random.uniform(-1, 1));

  it('on a hand-built network: α_k is the mean of the dense weights on map k, cam = relu(α₀·relu(x) + α₁·relu(−x))', () => {
    for (const c of [0, 1]) {
      const result = gradCam(model, x, c, 1);
      const alpha = [0, 1].map((k) => weights[c].slice(k * 16, k * 16 + 16).reduce((a, b) => a + b, 0) / 16);
      expect(Array.from(result.weights)).toEqual(alpha.map((a) => expect.closeTo(a, 6)));
      const expected = Array.from(x, (v) => Math.max(0, alpha[0] * Math.max(0, v) + alpha[1] * Math.max(0, -v)));
      expect(Array.from(result.cam)).toEqual(expected.map((e) => expect.closeTo(e, 6)));
      expect(Array.from(result.heat)).toEqual(expected.map((e) => expect.closeTo(e, 6))); // same size: no resizing
      const logit = weights[c].reduce((s, w, i) => s + w * (i < 16 ? Math.max(0, x[i]) : Math.max(0, -x[i - 16])), c === 0 ? 0.3 : -0.2);
      expect(result.score).toBeCloseTo(logit, 5);
    }
  });

  it('before the ReLU, a map\'s weight counts only the cells where the ReLU passes the gradient', () => {
    const result = gradCam(model, x, 0, 0);
    const alpha = [0, 1].map((k) => weights[0].slice(k * 16, k * 16 + 16).reduce((s, w, i) => s + ((k === 0 ? x[i] : -x[i]) > 0 ? w : 0), 0) / 16);
    expect(Array.from(result.weights)).toEqual(alpha.map((a) => expect.closeTo(a, 6)));
    expect(Array.from(result.sum)).toEqual(Array.from(x, (v) => expect.closeTo(alpha[0] * v - alpha[1] * v, 6)));
  });

  it('α_k on the shipped CNN equals central differences of the class score (each map shifted as a whole)', () => {
    const input = digit(7);
    for (const layer of [1, 4]) {
      const c = 3, result = gradCam(cnn, input, c, layer);
      // the rest of the network from layer + 1 to the logits, by the model's own layers
      const acts: Float32Array[] = [input];
      for (let i = 0; i <= layer; i++) acts.push(Float32Array.from(cnn.layers[i].forward(acts[i], 1, false, null)));
      const score = (a: Float32Array) => { let v = a; for (let i = layer + 1; i < cnn.layers.length - 1; i++) v = cnn.layers[i].forward(v, 1, false, null); return v[c]; };
      const [K, h, w] = cnn.layers[layer].outputShape, step = 1e-3;
      for (let k = 0; k < K; k++) {
        const plus = Float32Array.from(acts[layer + 1]), minus = Float32Array.from(acts[layer + 1]);
        for (let p = 0; p < h * w; p++) { plus[k * h * w + p] += step; minus[k * h * w + p] -= step; }
        const numeric = (score(plus) - score(minus)) / (2 * step * h * w);
        expect(Math.abs(result.weights[k] - numeric)).toBeLessThan(2e-2 * Math.max(1e-2, Math.abs(numeric)) + 1e-4);
      }
    }
  });

  it('lists the layers with maps and refuses the others', () => {
    expect(gradCamLayers(cnn)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => gradCam(cnn, digit(0), 1, 7)).toThrow(/gradCam: layer 7 \(dense\) gives \[10\], not maps/);
    expect(() => gradCam(cnn, digit(0), 1, 9)).toThrow(/layer 9 is out of range/);
  });

  it('resizes between cell centres: a 2×2 map to 4×4', () => {
    const out = resize(Float32Array.from([0, 1, 2, 3]), 2, 2, 4, 4);
    const t = [0, 0.25, 0.75, 1]; // where each output row's centre falls between the two input rows
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(out[y * 4 + x]).toBeCloseTo(2 * t[y] + t[x], 6);
  });

  it('uses the logits when the model has no softmax (the class scores are its output)', () => {
    const plain = new Sequential({ inputShape: [1, 4, 4], layers: [{ type: 'conv', filters: 2, kernelSize: 1 }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }] });
    const r = gradCam(plain, x, 1, 1);
    expect(r.score).toBeCloseTo(plain.predict(fromData(Float32Array.from(x), [1, 4, 4])).data[1], 6);
    const p = occlusion(plain, x, 1, { size: 2, stride: 2 });
    expect(p.probability).toBeCloseTo(softmax(plain.predict(fromData(Float32Array.from(x), [1, 4, 4]))).data[1], 6);
  });
});
