// The Week-3 graph, the activation curves and the optimizer paths equal what the core computes.
import { describe, it, expect } from 'vitest';
import {
  createPreset, computeGradients, Optimizer, tensor, contiguousData, explainMlpGraph, activationCurve, activationHistogram,
  saturation, linearCollapse, lossSurfaces, optimizerPath, surfaceGrid, sigmoid, type OptimizerName,
} from '../../core/index.js';
import { loadIris } from '../../core/node.js';

const near = (a: number, b: number, tolerance = 1e-6) => {
  if (!(Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(b)))) throw new Error(`expected ${b}, got ${a}`);
};

describe('the Iris MLP as a computational graph', () => {
  const iris = loadIris();
  it.each([0, 77, 149])('flower %i: the gradient is the core Iris MLP\'s and the step is core SGD\'s', (n) => {
    const model = createPreset('iris', { seed: 1 });
    const x = Array.from(iris.inputs.subarray(n * 4, n * 4 + 4)), label = iris.labels[n];
    const g = explainMlpGraph(model, tensor(x), label, { learningRate: 0.1 });
    // forward: ŷ is the model's prediction, L the MSE over the C = 3 outputs
    const yHat = Array.from(model.predict(tensor(x)).data);
    g.yHat.forEach((v, k) => near(v, yHat[k]));
    const loss = computeGradients(model, Float32Array.from(x), Int32Array.of(label), 'mse');
    near(g.loss, loss);
    // backward: every parameter gradient equals the trainer's
    const [W1, b1, W2, b2] = model.params();
    g.dW1.flat().forEach((v, i) => near(v, W1.grad.data[i]));
    g.db1.forEach((v, i) => near(v, b1.grad.data[i]));
    g.dW2.flat().forEach((v, i) => near(v, W2.grad.data[i]));
    g.db2.forEach((v, i) => near(v, b2.grad.data[i]));
    // the chain rule, node by node
    g.dYHat.forEach((v, k) => near(v, (2 * (g.yHat[k] - g.y[k])) / 3));
    g.dZ2.forEach((v, k) => near(v, g.dYHat[k] * g.sigma2[k]));
    g.dH.forEach((v, j) => near(v, g.dZ2.reduce((s, d, k) => s + d * g.before.layer2.W[k][j], 0)));
    g.dZ1.forEach((v, j) => near(v, g.dH[j] * g.sigma1[j]));
    g.h.forEach((v, j) => near(v, sigmoid(tensor([g.z1[j]])).data[0]));
    // the seed lab's form is C times larger
    g.dYHatLab.forEach((v, k) => near(v, 3 * g.dYHat[k], 1e-5));
    // one SGD step: the weights after equal the core optimizer's update
    new Optimizer({ type: 'sgd', learningRate: 0.1 }, model.params()).step();
    g.after.layer1.W.flat().forEach((v, i) => near(v, W1.value.data[i]));
    g.after.layer1.b.forEach((v, i) => near(v, b1.value.data[i]));
    g.after.layer2.W.flat().forEach((v, i) => near(v, W2.value.data[i]));
    g.after.layer2.b.forEach((v, i) => near(v, b2.value.data[i]));
    expect(g.before.layer1.W.flat()).not.toEqual(g.after.layer1.W.flat());
  });
  it('refuses another network, names the mismatch', () => {
    expect(() => explainMlpGraph(createPreset('mlp'), tensor([1, 2, 3, 4]), 0)).toThrow(/needs the lab's network dense, sigmoid, dense, sigmoid, got flatten, dense/);
    expect(() => explainMlpGraph(createPreset('iris'), tensor([1, 2, 3]), 0)).toThrow(/takes 4 features, got x \[3\]/);
    expect(() => explainMlpGraph(createPreset('iris'), tensor([1, 2, 3, 4]), 3)).toThrow(/label 3 is out of range \(0\.\.2\)/);
  });
});

describe('activation curves', () => {
  it('f and f′ come from the ops; f′ matches a central difference', () => {
    for (const kind of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'] as const) {
      const c = activationCurve(kind, { from: -4, to: 4, points: 161 });
      for (let i = 1; i < 160; i++) {
        if (Math.abs(c.x[i]) < 0.06) continue; // the kink of relu and leaky relu
        near(c.slope[i], (c.f[i + 1] - c.f[i - 1]) / (c.x[i + 1] - c.x[i - 1]), 2e-3);
      }
    }
    expect(activationCurve('sigmoid').maxSlope).toBeCloseTo(0.25, 6);
    expect(activationCurve('tanh').maxSlope).toBeCloseTo(1, 6);
  });
  it('histogram counts every value; saturation is the share where the slope is flat', () => {
    const values = [-10, -5, -0.5, 0, 0.5, 3, 7];
    const h = activationHistogram(values, { from: -6, to: 6, bins: 12 });
    expect(h.below + h.above + h.counts.reduce((a, b) => a + b)).toBe(7);
    expect([h.below, h.above]).toEqual([1, 1]);
    expect(saturation('relu', values)).toBeCloseTo(4 / 7);            // x ≤ 0: slope 0
    expect(saturation('sigmoid', values)).toBeCloseTo(3 / 7);         // |x| > 3.6: σ′ < 0.025
    expect(saturation('linear', values)).toBe(0);
  });
  it('two linear layers are one: W2·W1 and W2·b1 + b2', () => {
    const model = createPreset('iris', { seed: 3 });
    const [W1, b1, W2, b2] = model.params().map((p) => p.value);
    b1.data.set([0.1, -0.2, 0.3, 0, 0, 0.5, -0.1, 0, 0.2, 0.05]);
    const x = tensor([5.1, 3.5, 1.4, 0.2]);
    const c = linearCollapse(W1, b1, W2, b2, x);
    c.oneLayer.forEach((v, k) => near(v, c.twoLayers[k], 1e-5));
    const w1 = contiguousData(W1), w2 = contiguousData(W2);
    c.W.forEach((row, o) => row.forEach((v, i) => near(v, Array.from({ length: 10 }, (_, j) => w2[o * 10 + j] * w1[j * 4 + i]).reduce((a, b) => a + b), 1e-5)));
    expect(c.W).toHaveLength(3);
    expect(c.W[0]).toHaveLength(4);
  });
});

describe('optimizer paths', () => {
  it.each(Object.keys(lossSurfaces) as (keyof typeof lossSurfaces)[])('%s: each path is the core optimizer\'s iterates', (name) => {
    const surface = lossSurfaces[name];
    for (const type of ['sgd', 'momentum', 'adam'] as OptimizerName[]) {
      const learningRate = surface.rates[type];
      const path = optimizerPath(surface, { type, learningRate }, 60);
      // the same rule applied by the core optimizer to a parameter of two values
      const value = tensor(surface.start.slice()), grad = tensor([0, 0]);
      const optimizer = new Optimizer({ type, learningRate }, [{ name: 'p', value, grad, decay: false }]);
      expect(path.points[0]).toEqual(Array.from(value.data));
      for (let t = 1; t <= 60; t++) {
        grad.data.set(surface.gradient(value.data[0], value.data[1]));
        optimizer.step();
        expect(path.points[t]).toEqual(Array.from(value.data));
      }
      // and by the textbook formulas in float64 (close, not bit-equal: the core stores float32)
      let [x, y] = surface.start, vx = 0, vy = 0, mx = 0, my = 0, sx = 0, sy = 0;
      for (let t = 1; t <= 10; t++) {
        const [gx, gy] = surface.gradient(x, y);
        if (type === 'sgd') { x -= learningRate * gx; y -= learningRate * gy; }
        else if (type === 'momentum') { vx = 0.9 * vx - learningRate * gx; vy = 0.9 * vy - learningRate * gy; x += vx; y += vy; }
        else {
          mx = 0.9 * mx + 0.1 * gx; my = 0.9 * my + 0.1 * gy; sx = 0.999 * sx + 0.001 * gx * gx; sy = 0.999 * sy + 0.001 * gy * gy;
          x -= (learningRate * mx / (1 - 0.9 ** t)) / (Math.sqrt(sx / (1 - 0.999 ** t)) + 1e-8);
          y -= (learningRate * my / (1 - 0.9 ** t)) / (Math.sqrt(sy / (1 - 0.999 ** t)) + 1e-8);
        }
        near(path.points[t][0], x, 1e-4); near(path.points[t][1], y, 1e-4);
      }
    }
  });
  it('the surfaces\' gradients match central differences; the grid shades lie in [0,1]', () => {
    for (const surface of Object.values(lossSurfaces)) {
      for (const [x, y] of [[0.3, -0.7], [-1.2, 1.9], [1.5, 0.2]]) {
        const h = 1e-5, [gx, gy] = surface.gradient(x, y);
        near(gx, (surface.f(x + h, y) - surface.f(x - h, y)) / (2 * h), 1e-5);
        near(gy, (surface.f(x, y + h) - surface.f(x, y - h)) / (2 * h), 1e-5);
      }
      const grid = surfaceGrid(surface, 20);
      expect(Math.min(...grid.shades)).toBe(0);
      expect(Math.max(...grid.shades)).toBeLessThanOrEqual(1);
      expect(Math.max(...grid.shades)).toBeCloseTo(1, 6);
    }
  });
  it('shows each optimizer\'s character: SGD zig-zags in the bowl, momentum ends lower, Adam leaves the saddle first', () => {
    const bowl = lossSurfaces.quadratic, saddle = lossSurfaces.saddle;
    const path = (s: typeof bowl, type: OptimizerName) => optimizerPath(s, { type, learningRate: s.rates[type] }, 100);
    const sgd = path(bowl, 'sgd');
    for (let t = 1; t < 20; t++) expect(Math.sign(sgd.points[t][1])).toBe(-Math.sign(sgd.points[t - 1][1]));
    expect(path(bowl, 'momentum').losses[100]).toBeLessThan(sgd.losses[100]);
    expect(path(saddle, 'adam').losses[30]).toBeLessThan(path(saddle, 'sgd').losses[30] - 0.5);
  });
});
