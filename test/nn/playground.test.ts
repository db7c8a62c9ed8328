// The 2-D playground's core: data sets, features, CSV, the network (a convlab Sequential), its gradients
// by finite differences, regularisation, determinism, grid evaluation, the neuron explanation, model files.
import { describe, it, expect } from 'vitest';
import {
  planarData, splitPoints, parsePointsCsv, pointsToCsv, PlanarCsvError, multiGaussianValue, classificationSets,
  FEATURES, featureRows, orderFeatures, gridPoints, Sequential, DenseLayer, DropoutLayer,
  PlaygroundRun, buildPlaygroundModel, playgroundLayers, networkMap, evaluateGrid, explainNeuron, predictPoints,
  regularizationPenalty, modelToJSON, modelFromJSON, fromData,
  type NetworkSpec, type StepSettings, type PlanarPoint, type FeatureName, type OptimizerName,
} from '../../core/index.js';

const spec = (over: Partial<NetworkSpec> = {}): NetworkSpec => ({
  features: ['x1', 'x2'], hidden: [4, 2], activation: 'tanh', problem: 'classification', classes: 2, dropout: 0, init: 'glorotUniform', seed: 1, ...over,
});
const settings = (over: Partial<StepSettings> = {}): StepSettings => ({ learningRate: 0.03, batchSize: 10, regularization: 'none', regularizationRate: 0, ...over });
function run(data: PlanarPoint[], s: Partial<NetworkSpec> = {}, st: Partial<StepSettings> = {}, optimizer: OptimizerName = 'sgd') {
  const { train, test } = splitPoints(data, 0.5, 1);
  return new PlaygroundRun(spec(s), settings(st), optimizer, train, test);
}

describe('planar data sets', () => {
  it('are seeded: the same seed gives the same points, another seed others', () => {
    for (const name of ['circle', 'xor', 'gaussian', 'spiral', 'plane', 'multiGaussian'] as const) {
      expect(planarData(name, { seed: 3, noise: 0.2 })).toEqual(planarData(name, { seed: 3, noise: 0.2 }));
      expect(planarData(name, { seed: 4, noise: 0.2 })).not.toEqual(planarData(name, { seed: 3, noise: 0.2 }));
    }
  });
  it('label points by the rule of each set when there is no noise', () => {
    for (const p of planarData('circle', { count: 400 })) expect(p.label).toBe(Math.hypot(p.x, p.y) < 2.5 ? 1 : 0);
    for (const p of planarData('xor', { count: 400 })) { expect(p.label).toBe(p.x * p.y >= 0 ? 1 : 0); expect(Math.min(Math.abs(p.x), Math.abs(p.y))).toBeGreaterThanOrEqual(0.3); }
    for (const p of planarData('plane', { count: 400 })) expect(p.label).toBeCloseTo(Math.max(-1, Math.min(1, (p.x + p.y) / 10)), 12);
    for (const p of planarData('multiGaussian', { count: 400 })) expect(p.label).toBe(multiGaussianValue(p.x, p.y));
    expect(multiGaussianValue(-4, 2.5)).toBe(1);
    expect(multiGaussianValue(0, 2.5)).toBe(-1);
    expect(multiGaussianValue(0, 0)).toBe(0);
  });
  it('balance the classes and keep every point in the plane', () => {
    for (const name of classificationSets) for (const classes of name === 'gaussian' || name === 'spiral' ? [2, 3, 4] : [2]) {
      const points = planarData(name, { count: 600, classes, noise: 0.5 });
      expect(points).toHaveLength(600);
      for (const p of points) { expect(Math.abs(p.x)).toBeLessThanOrEqual(6); expect(Math.abs(p.y)).toBeLessThanOrEqual(6); }
      const counts = Array.from({ length: classes }, (_, c) => points.filter((p) => p.label === c).length);
      if (name !== 'xor' && name !== 'circle') for (const n of counts) expect(n).toBe(600 / classes);
      else for (const n of counts) expect(n).toBeGreaterThan(150);
    }
  });
  it('spiral arms: radius grows with the index, class 1 starts at angle 0', () => {
    const points = planarData('spiral', { count: 200 });
    const arm = points.filter((p) => p.label === 1);
    expect(arm[0]).toEqual({ x: 0, y: 0, label: 1 });
    expect(Math.hypot(arm[50].x, arm[50].y)).toBeCloseTo(2.5, 6);
    expect(Math.atan2(arm[10].x, arm[10].y)).toBeCloseTo((1.75 * 10 / 100) * 2 * Math.PI, 6);
  });
  it('noise flips labels near the boundary (circle) and widens the blobs (gaussian)', () => {
    const clean = planarData('circle', { count: 500 }), noisy = planarData('circle', { count: 500, noise: 0.5 });
    const wrong = (ps: PlanarPoint[]) => ps.filter((p) => p.label !== (Math.hypot(p.x, p.y) < 2.5 ? 1 : 0)).length;
    expect(wrong(clean)).toBe(0);
    expect(wrong(noisy)).toBeGreaterThan(20);
    const spread = (ps: PlanarPoint[]) => ps.reduce((s, p) => s + Math.hypot(p.x - (p.label ? 2 : -2), p.y - (p.label ? 2 : -2)), 0) / ps.length;
    expect(spread(planarData('gaussian', { noise: 0.5 }))).toBeGreaterThan(1.5 * spread(planarData('gaussian', { noise: 0 })));
  });
  it('split by the ratio, seeded, every point once', () => {
    const points = planarData('xor', { count: 100 });
    const { train, test } = splitPoints(points, 0.7, 5);
    expect(train).toHaveLength(70);
    expect(test).toHaveLength(30);
    expect(new Set([...train, ...test])).toEqual(new Set(points));
    expect(splitPoints(points, 0.7, 5)).toEqual({ train, test });
  });
  it('reject bad options with the name and the value', () => {
    expect(() => planarData('moons' as never)).toThrow(/unknown data set 'moons'/);
    expect(() => planarData('circle', { noise: 2 })).toThrow(/noise must be in \[0, 0.5\], got 2/);
    expect(() => planarData('spiral', { classes: 9 })).toThrow(/classes must be 2…4, got 9/);
    expect(() => splitPoints([], 0)).toThrow(/trainRatio/);
  });
});

describe('points from CSV', () => {
  const classes = { labels: 'classes' as const, classes: 2 };
  it('reads x, y, label with a header, comments, blank lines, tabs and semicolons', () => {
    expect(parsePointsCsv('x,y,label\n# mine\n1.5, -2, 1\n\n0;0;0\n-3\t4e-1\t1\n', classes)).toEqual([
      { x: 1.5, y: -2, label: 1 }, { x: 0, y: 0, label: 0 }, { x: -3, y: 0.4, label: 1 }]);
  });
  it('round-trips through pointsToCsv', () => {
    const points = planarData('spiral', { count: 30, classes: 3 }).map((p) => ({ x: Math.round(p.x * 1e4) / 1e4 || 0, y: Math.round(p.y * 1e4) / 1e4 || 0, label: p.label }));
    expect(parsePointsCsv(pointsToCsv(points), { labels: 'classes', classes: 3 })).toEqual(points);
  });
  it.each([
    ['1,2\n', /line 1: expected 3 columns \(x, y, label\), got 2/],
    ['x,y,label\n1,2,1\n3,4,5,6\n', /line 3: expected 3 columns .* got 4/],
    ['1,2,1\n1,abc,0\n', /line 2: y "abc" is not a number/],
    ['1,2,1\n7,0,1\n', /line 2: x = 7 is outside the plane/],
    ['1,2,1\n1,2,2\n', /line 2: label 2 is not a class \(expected an integer 0…1\)/],
    ['1,2,0.5\n', /line 1: label 0.5 is not a class/],
    ['', /no points found/],
    ['x,y,label\n\n', /no points found/],
  ])('names the line and what was expected: %j', (text, message) => {
    expect(() => parsePointsCsv(text, classes)).toThrow(message);
    try { parsePointsCsv(text, classes); } catch (error) { expect(error).toBeInstanceOf(PlanarCsvError); }
  });
  it('reads values in [−1, 1] for regression', () => {
    expect(parsePointsCsv('1,1,-0.25\n', { labels: 'values' })).toEqual([{ x: 1, y: 1, label: -0.25 }]);
    expect(() => parsePointsCsv('1,1,3\n', { labels: 'values' })).toThrow(/line 1: value 3 is outside \[−1, 1\]/);
  });
  it('refuses a text too large before reading it, and too many points at the first line over', () => {
    expect(() => parsePointsCsv('1,1,1\n'.repeat(30000), classes)).toThrow(/180000 characters, more than the playground's limit of 100000/);
    expect(() => parsePointsCsv('1,1,1\n'.repeat(11), { ...classes, maxPoints: 10 })).toThrow(/line 11: more than 10 points/);
  });
});

describe('features', () => {
  it('compute x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂ in that order', () => {
    const all = FEATURES.map((f) => f.name);
    const rows = featureRows([{ x: 2, y: -3 }, { x: 0.5, y: 1 }], all);
    expect(Array.from(rows)).toEqual(Array.from(Float32Array.from([2, -3, 4, 9, -6, Math.sin(2), Math.sin(-3), 0.5, 1, 0.25, 1, 0.5, Math.sin(0.5), Math.sin(1)])));
    expect(FEATURES.map((f) => f.label)).toEqual(['x₁', 'x₂', 'x₁²', 'x₂²', 'x₁x₂', 'sin x₁', 'sin x₂']);
  });
  it('keep the canonical order whatever order they are chosen in', () => {
    expect(orderFeatures(['sinX2', 'x1'])).toEqual(['x1', 'sinX2']);
    expect(Array.from(featureRows([{ x: 1, y: 2 }], ['sinX2', 'x1']))).toEqual(Array.from(Float32Array.from([1, Math.sin(2)])));
  });
  it('reject unknown, repeated or no features', () => {
    expect(() => orderFeatures(['x3'])).toThrow(/unknown feature 'x3'/);
    expect(() => orderFeatures(['x1', 'x1'])).toThrow(/listed twice/);
    expect(() => orderFeatures([])).toThrow(/at least one/);
  });
  it('grid points run left to right, top to bottom over the cell centres', () => {
    const grid = gridPoints(4, 6);
    expect(grid[0]).toEqual({ x: -4.5, y: 4.5 });
    expect(grid[3]).toEqual({ x: 4.5, y: 4.5 });
    expect(grid[15]).toEqual({ x: 4.5, y: -4.5 });
  });
});

describe('the playground network', () => {
  it('is a convlab Sequential of dense and activation layers on [F] inputs', () => {
    const model = buildPlaygroundModel(spec({ features: ['x1', 'x2', 'sinX1'], hidden: [4, 3], dropout: 0.2 }));
    expect(model).toBeInstanceOf(Sequential);
    expect(model.inputShape).toEqual([3]);
    expect(model.configs.map((c) => c.type)).toEqual(['dense', 'tanh', 'dropout', 'dense', 'tanh', 'dropout', 'dense', 'tanh']);
    expect(model.layers[2]).toBeInstanceOf(DropoutLayer);
    expect(networkMap(model)).toEqual({ dense: [0, 3, 6], neurons: [1, 4], outputs: 1 });
    expect(playgroundLayers(spec({ hidden: [], problem: 'multiclass', classes: 3 }))).toEqual([{ type: 'dense', units: 3 }, { type: 'softmax' }]);
    expect(playgroundLayers(spec({ hidden: [2], activation: 'linear', problem: 'regression' }))).toEqual([{ type: 'dense', units: 2 }, { type: 'dense', units: 1 }]);
    expect(networkMap(buildPlaygroundModel(spec({ hidden: [2], activation: 'linear' })))).toEqual({ dense: [0, 1], neurons: [0], outputs: 1 });
  });
  it('refuses shapes out of range', () => {
    expect(() => buildPlaygroundModel(spec({ hidden: [9] }))).toThrow(/1…8 neurons, got \[9\]/);
    expect(() => buildPlaygroundModel(spec({ hidden: [1, 1, 1, 1, 1, 1, 1] }))).toThrow(/0…6 layers/);
    expect(() => buildPlaygroundModel(spec({ activation: 'gelu' as never }))).toThrow(/unknown activation 'gelu'/);
  });

  // ∂(mean loss + penalty)/∂θ by central differences of float32 forward passes, against run.gradients()
  function gradientError(r: PlaygroundRun, h = 1e-3): number {
    const analytic = r.gradients();
    const objective = () => r.evaluate('train').loss + regularizationPenalty(r.model, r.settings.regularization, r.settings.regularizationRate);
    let worst = 0;
    r.model.params().forEach((p, index) => {
      const scale = Math.max(1e-3, ...Array.from(analytic[index], Math.abs));
      for (let i = 0; i < p.value.size; i++) {
        const keep = p.value.data[i];
        p.value.data[i] = keep + h; const up = objective(); const stepUp = p.value.data[i];
        p.value.data[i] = keep - h; const down = objective(); const stepDown = p.value.data[i];
        p.value.data[i] = keep;
        const numeric = (up - down) / (stepUp - stepDown);
        worst = Math.max(worst, Math.abs(numeric - analytic[index][i]) / scale);
      }
    });
    return worst;
  }
  const data = planarData('circle', { count: 40, noise: 0.1, seed: 2 });
  it.each([
    ['tanh, two classes (MSE on ±1)', { activation: 'tanh' }, {}],
    ['sigmoid, all features', { activation: 'sigmoid', features: FEATURES.map((f) => f.name) as FeatureName[] }, {}],
    ['linear hidden layer, regression', { activation: 'linear', problem: 'regression' }, {}],
    ['tanh, multiclass softmax cross-entropy', { problem: 'multiclass', classes: 2 }, {}],
    ['no hidden layer', { hidden: [] }, {}],
    ['L2', {}, { regularization: 'L2', regularizationRate: 0.03 }],
    ['L1', {}, { regularization: 'L1', regularizationRate: 0.01 }],
  ] as [string, Partial<NetworkSpec>, Partial<StepSettings>][])('passes the finite-difference check: %s', (_name, s, st) => {
    const points = s.problem === 'regression' ? planarData('plane', { count: 40, seed: 2 }) : data;
    expect(gradientError(run(points, s, st))).toBeLessThan(2e-2);
  });
  it('passes the finite-difference check with ReLU away from the kinks', () => {
    const r = run(planarData('xor', { count: 30, seed: 4 }), { activation: 'relu', hidden: [5] });
    // move any pre-activation within 0.05 of 0 on a training point off the kink by nudging that neuron's bias
    const dense = r.denseLayer(0), inputs = r.train.inputs;
    for (let k = 0; k < 5; k++) for (let n = 0; n < r.train.count; n++) {
      const z = dense.weights.data[2 * k] * inputs[2 * n] + dense.weights.data[2 * k + 1] * inputs[2 * n + 1] + dense.bias.data[k];
      if (Math.abs(z) < 0.05) { dense.bias.data[k] += 0.1; n = -1; }
    }
    expect(gradientError(r, 1e-3)).toBeLessThan(2e-2);
  });
  it('multiclass: three classes through softmax', () => {
    expect(gradientError(run(planarData('spiral', { count: 30, classes: 3 }), { problem: 'multiclass', classes: 3 }))).toBeLessThan(2e-2);
  });

  it('L1 and L2 pull the weights (not the biases) towards zero', () => {
    const norms = (kind: 'none' | 'L1' | 'L2') => {
      const r = run(data, {}, { regularization: kind, regularizationRate: 0.1 });
      for (let i = 0; i < 200; i++) r.step();
      return r.model.params().filter((p) => p.decay).reduce((s, p) => s + p.value.data.reduce((a, w) => a + Math.abs(w), 0), 0);
    };
    expect(norms('L1')).toBeLessThan(0.5 * norms('none'));
    expect(norms('L2')).toBeLessThan(0.8 * norms('none'));
    const r = run(data, { hidden: [] }, { regularization: 'L2', regularizationRate: 0.5 });
    const before = r.model.params().map((p) => p.value.data.slice());
    const g = r.gradients();
    const plain = run(data, { hidden: [] }).gradients();
    expect(g[0][0] - plain[0][0]).toBeCloseTo(0.5 * before[0][0], 6); // weight: + λw
    expect(g[1][0]).toBeCloseTo(plain[1][0], 6); // bias: no penalty
  });

  it('same seed and settings ⇒ the same run, step for step (dropout and Adam included)', () => {
    const points = planarData('spiral', { count: 120, noise: 0.2 });
    const trace = () => {
      const r = run(points, { hidden: [6, 4], dropout: 0.3, seed: 9 }, { batchSize: 7, regularization: 'L1', regularizationRate: 0.001 }, 'adam');
      return Array.from({ length: 40 }, () => [r.step(), ...r.model.params().map((p) => p.value.data.reduce((a, b) => a + b, 0))]);
    };
    expect(trace()).toEqual(trace());
    const other = run(points, { hidden: [6, 4], dropout: 0.3, seed: 10 }, { batchSize: 7 }, 'adam');
    expect(other.step()).not.toBe(trace()[0][0]);
  });

  it('zero initialisation keeps the neurons of a layer identical (the symmetry problem)', () => {
    const r = run(data, { init: 'zeros', hidden: [3], activation: 'sigmoid' }, { learningRate: 0.3 });
    for (let i = 0; i < 100; i++) r.step();
    const w = r.denseLayer(0).weights.data, rows = [0, 1, 2].map((k) => Array.from(w.subarray(2 * k, 2 * k + 2)));
    expect(rows[1]).toEqual(rows[0]);
    expect(rows[2]).toEqual(rows[0]);
  });

  it('learns xor from x₁x₂ alone with no hidden layer, and the circle with two hidden layers', () => {
    const xor = run(planarData('xor', { count: 200 }), { features: ['x1x2'], hidden: [] }, { learningRate: 0.01 });
    for (let e = 0; e < 20; e++) xor.runEpoch();
    expect(xor.evaluate('test').accuracy).toBeGreaterThan(0.97);
    const circle = run(planarData('circle', { count: 300 }), { hidden: [4, 4] }, {}, 'adam');
    for (let e = 0; e < 80; e++) circle.runEpoch();
    expect(circle.evaluate('test').accuracy).toBeGreaterThan(0.95);
    expect(circle.epoch).toBe(80);
  });
  it('learns three spiral arms with softmax', () => {
    const r = run(planarData('spiral', { count: 300, classes: 3 }), { problem: 'multiclass', classes: 3, hidden: [8, 8], features: ['x1', 'x2', 'sinX1', 'sinX2'] }, { learningRate: 0.01 }, 'adam');
    for (let e = 0; e < 200; e++) r.runEpoch();
    expect(r.evaluate('train').accuracy).toBeGreaterThan(0.9);
  });

  it('evaluates every neuron and the output over a grid in one forward pass, equal to per-point predictions', () => {
    const r = run(data, { hidden: [3, 2], features: ['x1', 'x2', 'x1x2'] });
    for (let i = 0; i < 20; i++) r.step();
    const grid = gridPoints(7, 6), inputs = featureRows(grid, r.spec.features);
    const { neurons, output } = evaluateGrid(r.model, r.map, inputs, grid.length);
    expect(neurons.map((l) => l.length)).toEqual([3, 2]);
    expect(Array.from(output)).toEqual(Array.from(predictPoints(r.model, r.spec.features, grid)));
    // neuron 2 of layer 1 by hand: tanh(W·x + b)
    const dense = r.denseLayer(0), g = 10, x = inputs.subarray(3 * g, 3 * g + 3);
    const z = dense.bias.data[1] + dense.weights.data[3] * x[0] + dense.weights.data[4] * x[1] + dense.weights.data[5] * x[2];
    expect(neurons[0][1][g]).toBeCloseTo(Math.tanh(z), 6);
  });

  it('explains a neuron at a point with the numbers the network computes', () => {
    const r = run(data, { hidden: [3, 2], features: ['x1', 'sinX2'] });
    for (let i = 0; i < 30; i++) r.step();
    const point = { x: 1.5, y: -2 };
    const first = explainNeuron(r.model, r.spec.features, 0, 2, point);
    expect(first.terms.map((t) => t.input)).toEqual(['x₁', 'sin x₂']);
    expect(first.terms[1].value).toBeCloseTo(Math.sin(-2), 6);
    expect(first.z).toBeCloseTo(first.terms.reduce((s, t) => s + t.product, first.bias), 5);
    expect(first.output).toBeCloseTo(Math.tanh(first.z), 6);
    const second = explainNeuron(r.model, r.spec.features, 1, 0, point);
    expect(second.terms[2].input).toBe('h1.3');
    expect(second.terms[2].value).toBeCloseTo(first.output, 6);
    const out = explainNeuron(r.model, r.spec.features, 2, 0, point);
    expect(out.title).toBe('output');
    expect(out.output).toBeCloseTo(predictPoints(r.model, r.spec.features, [point])[0], 6);
    expect(() => explainNeuron(r.model, r.spec.features, 3, 0, point)).toThrow(/layer must be 0…2, got 3/);
  });

  it('saves as a convlab model file that loads and predicts the same', () => {
    const r = run(data, { hidden: [4], features: ['x1', 'x2', 'x1Squared'], dropout: 0.1 }, {}, 'momentum');
    for (let i = 0; i < 50; i++) r.step();
    const json = modelToJSON(r.model, { playground: { features: r.spec.features } });
    const { model, training } = modelFromJSON(json);
    expect((training as { playground: { features: string[] } }).playground.features).toEqual(['x1', 'x2', 'x1Squared']);
    const grid = gridPoints(9, 6);
    expect(Array.from(predictPoints(model, ['x1', 'x2', 'x1Squared'], grid))).toEqual(Array.from(predictPoints(r.model, r.spec.features, grid)));
    expect(model.predict(fromData(featureRows([{ x: 1, y: 2 }], r.spec.features), [3])).shape).toEqual([1]);
    expect(model.layers[0]).toBeInstanceOf(DenseLayer);
  });
});

describe('the playground through core\'s runSteps (#26 item 5/8)', () => {
  it('runEpoch (runSteps over epochSteps) makes the same steps, bit for bit, as calling step() until the epoch ends', () => {
    const data = planarData('spiral', { count: 100, noise: 0.1, seed: 2 });
    const driven = run(data, { dropout: 0.2 }, { batchSize: 7 }, 'adam'), by = run(data, { dropout: 0.2 }, { batchSize: 7 }, 'adam');
    for (let e = 0; e < 3; e++) {
      driven.runEpoch();
      const epoch = by.epoch;
      let steps = 0;
      while (by.epoch === epoch) { by.step(); steps++; }
      expect(steps).toBe(Math.ceil(by.train.count / 7));
      expect(driven.epoch).toBe(by.epoch);
      expect(driven.steps).toBe(by.steps);
      expect(driven.model.params().map((p) => Array.from(p.value.data))).toEqual(by.model.params().map((p) => Array.from(p.value.data)));
    }
  });
});

