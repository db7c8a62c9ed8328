// Distortions and the fast gradient sign against independent computations: index formulas for exact shifts and
// quarter turns, a direct Gaussian sum for the blur, central differences for the loss gradient, and single
// predictions for the smallest flipping ε.
import { describe, it, expect } from 'vitest';
import { distort, fgsm, fgsmImage, probabilities, explainModelGradients, fromData, seeded, DISTORTION_RANGES } from '../../../core/index.js';
import { loadModel, loadDigits } from '../../../core/node.js';

const cnn = loadModel(new URL('../../../viz/public/cnn.json', import.meta.url).pathname).model;
const { test: digits } = loadDigits();
const digit = (n: number) => digits.inputs.slice(n * 784, (n + 1) * 784);
const shape = [1, 28, 28];

describe('distort', () => {
  const x = digit(2);
  it('shifts by whole pixels exactly (zero coming in) and leaves the digit alone at the defaults', () => {
    const out = distort(x, shape, { shiftX: 3, shiftY: -2 });
    for (let y = 0; y < 28; y++) for (let xx = 0; xx < 28; xx++) {
      const sy = y + 2, sx = xx - 3;
      expect(out[y * 28 + xx]).toBeCloseTo(sy < 28 && sx >= 0 ? x[sy * 28 + sx] : 0, 6);
    }
    expect(distort(x, shape, {})).toEqual(x);
    expect(distort(x, shape, { rotate: null, blur: undefined })).toEqual(x);
  });

  it('turns a quarter exactly: out[y][x] = in[27 − x][y]', () => {
    const out = distort(x, shape, { rotate: 90 });
    for (let y = 0; y < 28; y++) for (let xx = 0; xx < 28; xx++) expect(out[y * 28 + xx]).toBeCloseTo(x[(27 - xx) * 28 + y], 5);
  });

  it('blurs with a normalised Gaussian, zero outside (a direct sum)', () => {
    const sigma = 1.25, r = Math.ceil(3 * sigma), out = distort(x, shape, { blur: sigma });
    let total = 0;
    for (let u = -r; u <= r; u++) for (let v = -r; v <= r; v++) total += Math.exp(-(u * u + v * v) / (2 * sigma * sigma));
    for (const [y, xx] of [[14, 14], [0, 0], [20, 5], [27, 13]]) {
      let s = 0;
      for (let u = -r; u <= r; u++) for (let v = -r; v <= r; v++) {
        const sy = y + u, sx = xx + v;
        if (sy >= 0 && sy < 28 && sx >= 0 && sx < 28) s += x[sy * 28 + sx] * Math.exp(-(u * u + v * v) / (2 * sigma * sigma));
      }
      expect(out[y * 28 + xx]).toBeCloseTo(s / total, 5);
    }
  });

  it('adds seeded noise, clipped to [0, 1]', () => {
    const a = distort(x, shape, { noise: 0.3, seed: 4 }), b = distort(x, shape, { noise: 0.3, seed: 4 }), c = distort(x, shape, { noise: 0.3, seed: 5 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.every((v) => v >= 0 && v <= 1)).toBe(true);
    const grey = new Float32Array(784).fill(0.5), noisy = distort(grey, shape, { noise: 0.1 });
    const mean = noisy.reduce((s, v) => s + v, 0) / 784, spread = Math.sqrt(noisy.reduce((s, v) => s + (v - mean) ** 2, 0) / 783);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(spread - 0.1)).toBeLessThan(0.015);
  });

  it('refuses settings outside the sliders\' ranges, naming them', () => {
    expect(() => distort(x, shape, { rotate: 1000 })).toThrow(/distort: rotate must be a number -90…90, got 1000/);
    expect(() => distort(x, shape, { blur: Number.NaN })).toThrow(/distort: blur must be a number 0…3/);
    expect(() => distort(x, shape, { scale: 0 })).toThrow(/scale must be a number 0\.5…1\.5/);
    expect(() => distort(x, [784], {})).toThrow(/the shape must be \[C,H,W\]/);
    expect(DISTORTION_RANGES.shiftX.high).toBe(8);
  });
});

describe('fgsm', () => {
  it('steps along the sign of ∂L/∂x (central differences of the loss agree with the gradient it signs)', () => {
    const random = seeded(2), x = Float32Array.from(digit(9), (v) => 0.8 * v + 0.2 * random.next());
    const klass = 4;
    const g = explainModelGradients(cnn, fromData(Float32Array.from(x), shape), klass).gradients[0].data;
    const loss = (v: Float32Array) => -Math.log(probabilities(cnn, v)[klass]);
    for (let trial = 0; trial < 3; trial++) {
      const d = Float32Array.from({ length: 784 }, () => random.uniform(-1, 1)), h = 1e-4;
      const numeric = (loss(Float32Array.from(x, (v, p) => v + h * d[p])) - loss(Float32Array.from(x, (v, p) => v - h * d[p]))) / (2 * h);
      expect(Math.abs(g.reduce((s, v, p) => s + v * d[p], 0) - numeric)).toBeLessThan(2e-2 * Math.max(Math.abs(numeric), 5e-2));
    }
  });

  it('finds the smallest ε that flips the prediction: no grid point below it flips, ε* does', () => {
    for (const n of [0, 17, 33]) {
      const x = digit(n), result = fgsm(cnn, x, { maxEpsilon: 0.5, steps: 50 });
      const clean = probabilities(cnn, x), klass = clean.indexOf(Math.max(...clean));
      expect(result.klass).toBe(klass);
      const g = explainModelGradients(cnn, fromData(Float32Array.from(x), shape), klass).gradients[0].data;
      expect(Array.from(result.sign)).toEqual(Array.from(g, (v) => Math.sign(v)));
      const predictedAt = (e: number) => { const p = probabilities(cnn, fgsmImage(x, result.sign, e)); return p.indexOf(Math.max(...p)); };
      expect(result.epsilon).not.toBeNull();
      const epsilon = result.epsilon!;
      expect(predictedAt(epsilon)).not.toBe(klass);
      expect(result.predicted).toBe(predictedAt(epsilon));
      for (const point of result.curve.filter((p) => p.epsilon < epsilon - 0.01)) expect(predictedAt(point.epsilon)).toBe(klass);
      const adversarial = result.adversarial!;
      expect(adversarial.every((v, p) => v >= 0 && v <= 1 && Math.abs(v - x[p]) <= epsilon + 1e-6)).toBe(true);
    }
  });

  it('says when no ε up to the largest flips it, and refuses a bad range', () => {
    const result = fgsm(cnn, digit(0), { maxEpsilon: 1e-4, steps: 2 });
    expect(result.epsilon).toBeNull();
    expect(() => fgsm(cnn, digit(0), { maxEpsilon: 2 })).toThrow(/fgsm: maxEpsilon must be a number/);
    expect(() => fgsm(cnn, digit(0), { steps: 1e6 })).toThrow(/fgsm: steps must be an integer 1…200/);
  });
});
