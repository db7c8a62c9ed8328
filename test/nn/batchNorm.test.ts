// The batchNorm layer: the op's numbers in both modes (training: batch statistics and running updates; inference:
// the running statistics, as dropout's switch), gradients through a network by central differences on both kernel
// sets, whole batches in the trainer (never halves or threads), and the running statistics in the model file.
import { describe, it, expect } from 'vitest';
import {
  Sequential, BatchNormLayer, batchNorm, fit, fromData, tensor, seeded, modelToJSON, modelFromJSON, serializeModel, encodeFloat32,
  planModel, type LayerConfig, type Dataset, HalfBatchHelper, usesBatchStatistics,
} from '../../core/index.js';
import { fitParallel } from '../../core/node.js';
import { expectClose, underEachKernels } from '../helpers.js';

function randomData(seed: number, count: number, sampleShape: number[], classes: number): Dataset {
  const random = seeded(seed), size = sampleShape.reduce((a, b) => a * b, 1);
  return { inputs: Float32Array.from({ length: count * size }, () => random.uniform(-1, 3)), labels: Int32Array.from({ length: count }, () => random.int(classes)), sampleShape, classes };
}

const cnn: LayerConfig[] = [
  { type: 'conv', filters: 3, kernelSize: 3 }, { type: 'batchNorm' }, { type: 'sigmoid' }, { type: 'flatten' },
  { type: 'dense', units: 5 }, { type: 'batchNorm', momentum: 0.2, eps: 1e-3 }, { type: 'tanh' }, { type: 'dense', units: 3 }, { type: 'softmax' },
];

/** Non-trivial γ, β and running statistics, so every term matters. */
function scramble(model: Sequential, seed: number): void {
  const random = seeded(seed);
  for (const layer of model.layers) {
    if (!(layer instanceof BatchNormLayer)) continue;
    layer.gamma.data.forEach((_, i, a) => { a[i] = random.uniform(0.5, 1.5); });
    layer.beta.data.forEach((_, i, a) => { a[i] = random.uniform(-0.5, 0.5); });
    layer.runningMean.data.forEach((_, i, a) => { a[i] = random.uniform(-1, 1); });
    layer.runningVar.data.forEach((_, i, a) => { a[i] = random.uniform(0.2, 2); });
  }
}

describe('batchNorm layer', () => {
  it('is the op: training uses and updates the batch statistics, inference reads the running ones', () => {
    const model = new Sequential({ inputShape: [2, 3, 3], layers: [{ type: 'batchNorm', momentum: 0.3 }] });
    scramble(model, 3);
    const layer = model.layers[0] as BatchNormLayer;
    const before = { gamma: fromData(layer.gamma.data.slice(), [2]), beta: fromData(layer.beta.data.slice(), [2]),
      runningMean: fromData(layer.runningMean.data.slice(), [2]), runningVar: fromData(layer.runningVar.data.slice(), [2]) };
    const x = randomData(1, 4, [2, 3, 3], 2).inputs, input = fromData(x, [4, 2, 3, 3]);
    const inference = batchNorm(input, { ...before, training: false });
    expectClose(fromData(model.forwardBatch(x, 4, false).slice(), [4, 2, 3, 3]), inference.y, { atol: 1e-6 });
    // predict and the explainer's activations are inference
    expectClose(model.predict(input), inference.y, { atol: 1e-6 });
    expect(Array.from(layer.runningMean.data)).toEqual(Array.from(before.runningMean.data)); // inference changes nothing
    const training = batchNorm(input, { ...before, training: true, momentum: 0.3 });
    expectClose(fromData(model.forwardBatch(x, 4, true).slice(), [4, 2, 3, 3]), training.y, { atol: 1e-6 });
    expectClose(layer.runningMean, training.runningMean, { atol: 1e-7 });
    expectClose(layer.runningVar, training.runningVar, { atol: 1e-7 });
  });

  it('plans as C·2 parameters (γ, β) and 2 running statistics per channel; summary counts γ and β', () => {
    const plan = planModel([1, 8, 8], cnn);
    expect(plan.layers[1].params).toEqual([{ name: 'gamma', shape: [3] }, { name: 'beta', shape: [3] }]);
    expect(plan.layers[1].state).toEqual([{ name: 'runningMean', shape: [3] }, { name: 'runningVar', shape: [3] }]);
    expect(plan.layers[5].params[0].shape).toEqual([5]);
    const model = new Sequential({ inputShape: [1, 8, 8], layers: cnn });
    expect(model.parameterCount).toBe(plan.parameterCount);
    expect(model.summary()).toMatch(/1 batchNorm\s+\[3,6,6\]\s+6/);
    expect(usesBatchStatistics(cnn)).toBe(true);
  });

  it('refuses bad settings, naming the layer', () => {
    expect(() => new Sequential({ inputShape: [4], layers: [{ type: 'batchNorm', momentum: 1.5 }] })).toThrow(/layer 0 \(batchNorm\): batchNorm layer: momentum must be a number in \(0, 1\]/);
    expect(() => new Sequential({ inputShape: [4], layers: [{ type: 'batchNorm', eps: -1 }] })).toThrow(/eps must be a finite number > 0, got -1/);
    expect(() => new Sequential({ inputShape: [4], layers: [{ type: 'batchNorm', axis: 1 } as unknown as LayerConfig] })).toThrow(/unknown option 'axis' \(expected momentum, eps\)/);
  });
});

underEachKernels(() => {
  it('gradients through conv → batchNorm → sigmoid (no kink) → … → dense → batchNorm → tanh → … in training mode match central differences', () => {
    const model = new Sequential({ inputShape: [1, 8, 8], layers: cnn.slice(0, -1), seed: 4 });
    scramble(model, 5);
    const N = 4, data = randomData(6, N, [1, 8, 8], 3), R = Float32Array.from({ length: N * 3 }, (_, i) => Math.sin(i + 1));
    const loss = () => { const out = model.forwardBatch(data.inputs, N, true); let s = 0; for (let i = 0; i < R.length; i++) s += out[i] * R[i]; return s; };
    for (const p of model.params()) p.grad.data.fill(0);
    loss();
    model.backwardBatch(R, N);
    let worst = 0;
    for (const p of model.params()) {
      const analytic = p.grad.data.slice();
      const scale = Math.max(1e-2, ...Array.from(analytic, Math.abs));
      for (let i = 0; i < analytic.length; i += Math.max(1, Math.floor(analytic.length / 12))) {
        const original = p.value.data[i], h = 1e-2;
        p.value.data[i] = original + h; const up = p.value.data[i], plus = loss();
        p.value.data[i] = original - h; const down = p.value.data[i], minus = loss();
        p.value.data[i] = original;
        worst = Math.max(worst, Math.abs((plus - minus) / (up - down) - analytic[i]) / scale);
      }
    }
    expect(worst).toBeLessThan(2e-2);
  });
});

describe('training a model with batchNorm', () => {
  it('normalises whole batches: one running update per batch, with the whole batch\'s mean (never halves)', () => {
    // batchNorm on the input itself: its input does not depend on the weights, so the expected update is exact
    const data = randomData(7, 12, [2, 2, 2], 2);
    const model = new Sequential({ inputShape: [2, 2, 2], layers: [{ type: 'batchNorm' }, { type: 'flatten' }, { type: 'dense', units: 2 }, { type: 'softmax' }] });
    fit(model, data, { epochs: 1, batchSize: 12, optimizer: { type: 'sgd', learningRate: 0.1 } });
    const layer = model.layers[0] as BatchNormLayer;
    for (let c = 0; c < 2; c++) {
      let sum = 0;
      for (let n = 0; n < 12; n++) for (let p = 0; p < 4; p++) sum += data.inputs[(n * 2 + c) * 4 + p];
      expect(layer.runningMean.data[c]).toBeCloseTo(0.1 * sum / 48, 6);
    }
  });

  it('fitParallel with 2 threads trains it on one (same weights and statistics); a half-batch helper refuses it', async () => {
    const data = randomData(8, 40, [1, 8, 8], 3);
    const a = new Sequential({ inputShape: [1, 8, 8], layers: cnn, seed: 2 }), b = new Sequential({ inputShape: [1, 8, 8], layers: cnn, seed: 2 });
    const options = { epochs: 2, batchSize: 8, optimizer: { type: 'adam' as const, learningRate: 0.01 } };
    fit(a, data, options);
    await fitParallel(b, data, { ...options, threads: 2 });
    expect(modelToJSON(b)).toBe(modelToJSON(a));
    expect(() => new HalfBatchHelper({ postMessage() {} } as never, a, 4)).toThrow(/batchNorm layer normalises with the statistics of the whole batch/);
  });

  it('learns: running statistics track the data and the trained model predicts better than chance in inference mode', () => {
    // two classes told apart by the mean brightness of the picture
    const random = seeded(9), count = 200;
    const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
    const inputs = Float32Array.from({ length: count * 16 }, (_, i) => 5 + random.uniform(-1, 1) + (labels[Math.floor(i / 16)] ? 0.6 : 0));
    const data: Dataset = { inputs, labels, sampleShape: [1, 4, 4], classes: 2 };
    const model = new Sequential({ inputShape: [1, 4, 4], layers: [{ type: 'conv', filters: 2, kernelSize: 2 }, { type: 'batchNorm' }, { type: 'relu' }, { type: 'flatten' }, { type: 'dense', units: 2 }, { type: 'softmax' }] });
    fit(model, data, { epochs: 15, batchSize: 20, optimizer: { type: 'adam', learningRate: 0.02 } });
    const predicted = model.predict(fromData(inputs, [count, 1, 4, 4])).data;
    let right = 0;
    for (let n = 0; n < count; n++) if ((predicted[2 * n + 1] > predicted[2 * n] ? 1 : 0) === labels[n]) right++;
    expect(right / count).toBeGreaterThan(0.8);
  });
});

describe('the running statistics in the model file', () => {
  const trained = () => {
    const model = new Sequential({ inputShape: [1, 8, 8], layers: cnn, seed: 3 });
    fit(model, randomData(10, 24, [1, 8, 8], 3), { epochs: 1, batchSize: 8 });
    return model;
  };
  it('are saved as "state" and restored bit-identically; predictions are the same', () => {
    const model = trained();
    const file = serializeModel(model);
    expect(file.state!.map((s) => `${s.layer} ${s.name} [${s.shape}]`)).toEqual(['1 runningMean [3]', '1 runningVar [3]', '5 runningMean [5]', '5 runningVar [5]']);
    const again = modelFromJSON(JSON.stringify(file)).model;
    expect(again.state().map((s) => Array.from(s.value.data))).toEqual(model.state().map((s) => Array.from(s.value.data)));
    expect(modelToJSON(again)).toBe(modelToJSON(model));
    const x = fromData(randomData(11, 5, [1, 8, 8], 3).inputs, [5, 1, 8, 8]);
    expect(Array.from(again.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    // a model without batchNorm writes no state field (files stay as they were)
    expect('state' in serializeModel(new Sequential({ inputShape: [4], layers: [{ type: 'dense', units: 2 }] }))).toBe(false);
  });

  const hostile: [string, (file: ReturnType<typeof serializeModel>) => void, RegExp][] = [
    ['a NaN running mean', (f) => { f.state![0].data = encodeFloat32(Float32Array.of(0, NaN, 0)); }, /non-finite state value: layer 1 runningMean has NaN at index 1/],
    ['a negative running variance', (f) => { f.state![3].data = encodeFloat32(Float32Array.of(1, 1, -2, 1, 1)); }, /layer 5 \(batchNorm\): runningVar of channel 2 is -2, expected a finite number ≥ 0/],
    ['running statistics of the wrong size', (f) => { f.state![1] = { ...f.state![1], shape: [4], data: encodeFloat32(new Float32Array(4)) }; }, /state 1 should be layer 1 runningVar \[3\]/],
    ['too few values', (f) => { f.state![2].data = encodeFloat32(new Float32Array(4)); }, /layer 5 runningMean needs 5 values, the file has 4/],
    ['no state at all', (f) => { delete f.state; }, /the network has 4 state tensors but the file has 0/],
    ['state that is not a list', (f) => { (f as { state: unknown }).state = 'x'; }, /"state" must be a list of tensors/],
    ['momentum 2', (f) => { (f.layers[1] as { momentum: number }).momentum = 2; }, /layer 1 \(batchNorm\): batchNorm layer: momentum must be a number in \(0, 1\]/],
  ];
  it.each(hostile)('refuses %s, naming it', (_, damage, message) => {
    const file = serializeModel(trained());
    damage(file);
    expect(() => modelFromJSON(JSON.stringify(file), 'bn.json')).toThrow(message);
  });
  it('refuses state in a file whose network has none', () => {
    const file = serializeModel(new Sequential({ inputShape: [4], layers: [{ type: 'dense', units: 2 }] }));
    file.state = [{ layer: 0, name: 'runningMean', shape: [2], data: encodeFloat32(new Float32Array(2)) }];
    expect(() => modelFromJSON(JSON.stringify(file))).toThrow(/the network has 0 state tensors but the file has 1/);
  });
});
