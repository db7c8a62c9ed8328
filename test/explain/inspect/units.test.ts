// What a unit wants, against independent computations: receptive fields checked by perturbing pixels outside them,
// the top digits by one-at-a-time forwards, the ascent's gradient by central differences along random directions.
import { describe, it, expect } from 'vitest';
import { fromData, seeded, receptiveField, topActivations, unitActivations, unitObjective, unitGradient, maximizeActivation, roll, unitCount } from '../../../core/index.js';
import { loadModel, loadDigits } from '../../../core/node.js';

const cnn = loadModel(new URL('../../../viz/public/cnn.json', import.meta.url).pathname).model;
const { test: digits } = loadDigits();
const digit = (n: number) => digits.inputs.slice(n * 784, (n + 1) * 784);
/** Layer l's output for one digit by the model's own forward, as a plain array. */
const outputOf = (x: Float32Array, layer: number) => Array.from(cnn.activations(fromData(Float32Array.from(x), [1, 28, 28]))[layer].data);

describe('receptive field', () => {
  it('is the kernel window for the first conv and grows through pooling and the second conv', () => {
    expect(receptiveField(cnn, 0, 3, 4)).toEqual({ top: 3, left: 4, height: 5, width: 5 });
    expect(receptiveField(cnn, 2, 3, 4)).toEqual({ top: 6, left: 8, height: 6, width: 6 });
    expect(receptiveField(cnn, 3, 1, 2)).toEqual({ top: 2, left: 4, height: 14, width: 14 });
    expect(receptiveField(cnn, 5, 3, 3)).toEqual({ top: 12, left: 12, height: 16, width: 16 });
    expect(receptiveField(cnn, 7, 0, 0)).toEqual({ top: 0, left: 0, height: 28, width: 28 });
  });

  it('no pixel outside it changes the cell; some pixel inside does', () => {
    const x = digit(11), random = seeded(3);
    for (const [layer, i, j] of [[0, 10, 7], [3, 2, 5], [4, 5, 1]]) {
      const [K, h, w] = cnn.layers[layer].outputShape, k = random.int(K), at = (k * h + i) * w + j;
      const box = receptiveField(cnn, layer, i, j), before = outputOf(x, layer)[at];
      let insideChanged = false;
      for (let y = 0; y < 28; y++) for (let xx = 0; xx < 28; xx++) {
        const copy = Float32Array.from(x); copy[y * 28 + xx] += 0.7;
        const after = outputOf(copy, layer)[at];
        const inside = y >= box.top && y < box.top + box.height && xx >= box.left && xx < box.left + box.width;
        if (!inside) expect(after).toBe(before);
        else if (after !== before) insideChanged = true;
      }
      expect(insideChanged || before === 0).toBe(true);
    }
  });
});

describe('top activations', () => {
  const count = 300, inputs = digits.inputs.subarray(0, count * 784);
  it('ranks digits by the map\'s largest value, as one-at-a-time forwards do, with the driving patch', () => {
    for (const [layer, unit] of [[1, 5], [5, 12], [7, 3]]) {
      const shape = cnn.layers[layer].outputShape, mapSize = shape.length === 3 ? shape[1] * shape[2] : 1;
      const brute = Array.from({ length: count }, (_, n) => {
        const values = outputOf(digit(n), layer).slice(unit * mapSize, (unit + 1) * mapSize);
        return { n, value: Math.max(...values), at: values.indexOf(Math.max(...values)) };
      }).sort((a, b) => b.value - a.value || a.n - b.n).slice(0, 9);
      const top = topActivations(cnn, inputs, count, layer, unit, 9);
      expect(top.map((t) => t.index)).toEqual(brute.map((b) => b.n));
      top.forEach((t, r) => {
        expect(t.value).toBeCloseTo(brute[r].value, 5);
        const w = shape.length === 3 ? shape[2] : 1;
        expect([t.y, t.x]).toEqual(shape.length === 3 ? [Math.floor(brute[r].at / w), brute[r].at % w] : [0, 0]);
        expect(t.box).toEqual(receptiveField(cnn, layer, t.y, t.x));
      });
    }
  });
  it('refuses a unit that does not exist and too few inputs', () => {
    expect(unitCount(cnn, 3)).toBe(16);
    expect(() => unitActivations(cnn, inputs, count, 3, 16)).toThrow(/unitActivations: unit must be an integer 0…15, got 16/);
    expect(() => unitActivations(cnn, inputs, count + 1, 3, 1)).toThrow(/301 samples of 784 values need 235984 inputs/);
    expect(() => topActivations(cnn, inputs, count, 3, 1, 0)).toThrow(/k must be an integer 1…100/);
  });
});

describe('activation maximisation', () => {
  it('ascends the gradient the ops\' backward gives: central differences along random directions', () => {
    // a digit with a little noise: a clean digit's background gives exact ties in the pooling windows (a kink)
    const random = seeded(9), x = Float32Array.from(digit(4), (v) => 0.8 * v + 0.2 * random.next());
    for (const [layer, unit] of [[1, 2], [4, 7], [7, 5]]) {
      const g = unitGradient(cnn, x, layer, unit);
      for (let trial = 0; trial < 3; trial++) {
        // h small: a ReLU network is piecewise linear, and a longer step crosses some of its kinks
        const d = Float32Array.from({ length: 784 }, () => random.uniform(-1, 1)), h = 1e-4;
        const plus = Float32Array.from(x, (v, p) => v + h * d[p]), minus = Float32Array.from(x, (v, p) => v - h * d[p]);
        const numeric = (unitObjective(cnn, plus, layer, unit) - unitObjective(cnn, minus, layer, unit)) / (2 * h);
        const analytic = g.reduce((s, v, p) => s + v * d[p], 0);
        expect(Math.abs(analytic - numeric)).toBeLessThan(2e-2 * Math.max(Math.abs(numeric), 5e-2));
      }
    }
  });

  it('raises the unit from grey, keeps its steps, stays a picture, and repeats with the seed', () => {
    const result = maximizeActivation(cnn, 3, 6, { steps: 32, seed: 2 });
    expect(result.steps.map((s) => s.step)).toEqual([0, 1, 2, 4, 8, 16, 32]);
    expect(result.steps[0].image.every((v) => v === 0.5)).toBe(true);
    expect(result.activation).toBeGreaterThan(result.start + 0.5);
    expect(result.image.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(result.activation).toBeCloseTo(unitObjective(cnn, result.image, 3, 6), 6);
    expect(maximizeActivation(cnn, 3, 6, { steps: 32, seed: 2 }).image).toEqual(result.image);
    expect(maximizeActivation(cnn, 3, 6, { steps: 32, seed: 3 }).image).not.toEqual(result.image);
  });

  it('rolls as a permutation whose inverse is the roll back (so the jittered gradient is exact)', () => {
    const random = seeded(1), a = Float32Array.from({ length: 2 * 5 * 6 }, () => random.uniform(-1, 1));
    const rolled = roll(a, 2, 5, 6, 2, -3);
    expect(rolled[(1 * 5 + 2) * 6 + 0]).toBe(a[(1 * 5 + 0) * 6 + 3]);
    expect(roll(rolled, 2, 5, 6, -2, 3)).toEqual(a);
  });

  it('refuses too many steps and unknown units', () => {
    expect(() => maximizeActivation(cnn, 3, 6, { steps: 10_000 })).toThrow(/maximizeActivation: steps must be an integer 0…512/);
    expect(() => maximizeActivation(cnn, 3, 99)).toThrow(/unit must be an integer 0…15, got 99/);
    expect(() => maximizeActivation(cnn, 12, 0)).toThrow(/layer 12 is out of range/);
  });
});
