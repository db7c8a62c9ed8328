// Whole networks: every layer's backward by finite differences, model files, determinism, symmetry, divergence.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Sequential, computeGradients, fit, evaluate, createPreset, presets, trainTestSplit, modelToJSON, modelFromJSON, seeded,
  type LayerConfig, type Dataset, TrainingDivergedError, fromData, tensor,
} from '../../core/index.js';
import { loadIris, saveModel, loadModel } from '../../core/node.js';

function randomData(seed: number, count: number, sampleShape: number[], classes: number): Dataset {
  const random = seeded(seed);
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return {
    inputs: Float32Array.from({ length: count * size }, () => random.uniform(-1, 1)),
    labels: Int32Array.from({ length: count }, () => random.int(classes)),
    sampleShape, classes,
  };
}

/** Max relative error between the analytic parameter gradients and central differences of the loss (float64 sums of float32 steps). */
function gradientError(model: Sequential, data: Dataset, loss: 'crossEntropy' | 'mse', h = 1e-3): number {
  computeGradients(model, data.inputs, data.labels, loss);
  // copy every analytic gradient first: each numeric probe below recomputes (and overwrites) them
  const analytics = model.params().map((p) => p.grad.data.slice());
  let worst = 0;
  for (const [index, p] of model.params().entries()) {
    const analytic = analytics[index];
    let scale = 1e-3;
    const numeric = new Float64Array(analytic.length);
    for (let i = 0; i < analytic.length; i++) {
      const original = p.value.data[i];
      p.value.data[i] = original + h; const plusStep = p.value.data[i];
      const plus = computeGradients(model, data.inputs, data.labels, loss);
      p.value.data[i] = original - h; const minusStep = p.value.data[i];
      const minus = computeGradients(model, data.inputs, data.labels, loss);
      p.value.data[i] = original;
      numeric[i] = (plus - minus) / (plusStep - minusStep);
      scale = Math.max(scale, Math.abs(numeric[i]));
    }
    for (let i = 0; i < analytic.length; i++) worst = Math.max(worst, Math.abs(analytic[i] - numeric[i]) / scale);
  }
  return worst;
}

describe('backward through whole networks matches finite differences', () => {
  const networks: [string, number[], LayerConfig[], 'crossEntropy' | 'mse'][] = [
    ['conv (stride 2, same) → leakyRelu → maxPool → normalize → tanh → dense → softmax', [2, 7, 7], [
      { type: 'conv', filters: 3, kernelSize: 3, stride: 2, padding: 'same' }, { type: 'leakyRelu', alpha: 0.1 },
      { type: 'maxPool', size: 2, stride: 1 }, { type: 'normalize' }, { type: 'tanh' }, { type: 'flatten' },
      { type: 'dense', units: 4 }, { type: 'softmax' }], 'crossEntropy'],
    ['conv (even kernel, pad 1) → relu → conv → sigmoid → dense, MSE', [1, 6, 6], [
      { type: 'conv', filters: 2, kernelSize: [2, 3], padding: 1 }, { type: 'relu' },
      { type: 'conv', filters: 2, kernelSize: 3 }, { type: 'sigmoid' }, { type: 'flatten' }, { type: 'dense', units: 3 }], 'mse'],
    ['the Week-3 MLP: dense → sigmoid → dense → sigmoid, MSE', [4], [
      { type: 'dense', units: 5 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }], 'mse'],
    ['dense → relu → dropout (off at evaluation) → dense → softmax', [6], [
      { type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dropout', rate: 0.5 }, { type: 'dense', units: 3 }, { type: 'softmax' }], 'crossEntropy'],
  ];
  it.each(networks)('%s', (_, inputShape, layers, loss) => {
    const model = new Sequential({ inputShape, layers, seed: 3, init: 'glorotNormal' });
    const classes = model.classes;
    expect(gradientError(model, randomData(4, 3, inputShape, classes), loss)).toBeLessThan(2e-2);
  });
});

describe('Sequential', () => {
  it('reports shapes and parameter counts like Keras', () => {
    const model = createPreset('cnn');
    expect(model.layers.map((l) => l.outputShape)).toEqual([[8, 24, 24], [8, 24, 24], [8, 12, 12], [16, 8, 8], [16, 8, 8], [16, 4, 4], [256], [10], [10]]);
    expect(model.parameterCount).toBe(8 * 25 + 8 + 16 * 8 * 25 + 16 + 256 * 10 + 10);
    expect(model.summary()).toMatch(/conv 5×5×8 +\[8,24,24\] +208/);
    expect(createPreset('mlp').parameterCount).toBe(784 * 100 + 100 + 100 * 10 + 10);
  });
  it('rejects a network whose shapes do not fit', () => {
    expect(() => new Sequential({ inputShape: [1, 4, 4], layers: [{ type: 'conv', filters: 2, kernelSize: 5 }] }))
      .toThrow(/layer 0 \(conv\) cannot take input \[1,4,4\].*kernel 5×5 is larger than the padded 4×4 input/);
    expect(() => new Sequential({ inputShape: [4], layers: [{ type: 'bogus' } as unknown as LayerConfig] })).toThrow(/unknown layer type 'bogus'/);
  });
  it('predict of a batch equals predict of each sample', () => {
    const model = createPreset('cnn', { seed: 2 });
    const data = randomData(5, 3, [1, 28, 28], 10);
    const batch = model.predict(fromData(data.inputs, [3, 1, 28, 28]));
    for (let n = 0; n < 3; n++) {
      const one = model.predict(fromData(data.inputs.subarray(n * 784, (n + 1) * 784), [1, 28, 28]));
      expect(Array.from(one.data)).toEqual(Array.from(batch.data.subarray(n * 10, (n + 1) * 10)));
    }
  });
});

describe('training', () => {
  const iris = () => trainTestSplit(loadIris(), { testFraction: 0.2, seed: 1, stratify: true });

  it('createPreset sizes the output layer by classes and takes another input (the iris network on a table of 6 features)', () => {
    const table = createPreset('iris', { seed: 1, classes: 5, inputShape: [6] });
    expect(table.inputShape).toEqual([6]);
    expect(table.classes).toBe(5);
    expect(table.parameterCount).toBe(6 * 10 + 10 + 10 * 5 + 5);
    expect(createPreset('mlp', { classes: 3 }).parameterCount).toBe(784 * 100 + 100 + 100 * 3 + 3);
    // the same classes: the preset's own weights, draw for draw
    expect(Array.from(createPreset('mlp', { seed: 4, classes: 10 }).params()[0].value.data)).toEqual(Array.from(createPreset('mlp', { seed: 4 }).params()[0].value.data));
  });

  it('the Week-3 lab network reaches ≥ 93 % on the Iris test split', () => {
    const { train, test } = iris();
    const model = createPreset('iris', { seed: 1 });
    fit(model, train, { ...presets.iris.recipe, seed: 1 });
    expect(evaluate(model, test, 'mse').accuracy).toBeGreaterThanOrEqual(0.93);
  });

  it('the same seed gives the same weights and history, bit for bit', () => {
    const run = () => {
      const { train } = iris();
      const model = createPreset('iris', { seed: 7 });
      const { history } = fit(model, train, { epochs: 5, batchSize: 4, optimizer: { type: 'adam', learningRate: 0.01 }, loss: 'mse', seed: 7, validationSplit: 0.25 });
      return { history, json: modelToJSON(model) };
    };
    const [a, b] = [run(), run()];
    expect(a.history).toEqual(b.history);
    expect(a.json).toBe(b.json);
  });

  it('zero initialisation keeps hidden units identical (the symmetry problem); Glorot breaks it', () => {
    const hiddenRowsEqual = (init: 'zeros' | 'glorotUniform') => {
      const { train } = iris();
      const model = createPreset('iris', { seed: 1, init });
      fit(model, train, { epochs: 3, batchSize: 1, optimizer: { type: 'sgd', learningRate: 0.1 }, loss: 'mse', seed: 1 });
      const W1 = model.params()[0].value; // [10, 4]
      const rows = Array.from({ length: 10 }, (_, o) => Array.from(W1.data.subarray(o * 4, o * 4 + 4)));
      expect(rows[0].some((v) => v !== 0)).toBe(true); // it did learn something
      return rows.every((row) => row.every((v, i) => v === rows[0][i]));
    };
    expect(hiddenRowsEqual('zeros')).toBe(true);
    expect(hiddenRowsEqual('glorotUniform')).toBe(false);
  });

  it('stops with a clear message naming the epoch and batch when the loss diverges', () => {
    const data = randomData(1, 64, [6], 3);
    const model = new Sequential({ inputShape: [6], layers: [{ type: 'dense', units: 3 }], seed: 1 });
    expect(() => fit(model, data, { epochs: 3, batchSize: 8, loss: 'mse', optimizer: { type: 'sgd', learningRate: 1e30 } }))
      .toThrow(/training diverged at epoch \d+, batch \d+: the loss became (NaN|Infinity)/);
    try { fit(model, data, { epochs: 3, batchSize: 8, loss: 'mse', optimizer: { type: 'sgd', learningRate: 1e30 } }); }
    catch (error) { expect(error).toBeInstanceOf(TrainingDivergedError); }
  });

  it('early stopping waits `patience` epochs and restores the best weights', () => {
    const { train, test } = iris();
    const model = createPreset('iris', { seed: 1 });
    // the validation loss of this seeded run stops improving before epoch 50
    const result = fit(model, train, { epochs: 50, batchSize: 1, loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.05 },
      validationData: test, earlyStopping: { patience: 3 }, seed: 1 });
    const best = result.history[result.bestEpoch - 1];
    expect(evaluate(model, test, 'mse').loss).toBeCloseTo(best.valLoss!, 6);
    expect(result.stopped).toBe('early');
    expect(result.history.length).toBe(result.bestEpoch + 3);
    expect(result.bestEpoch).toBeLessThan(50);
  });

  it('calls back per batch and per epoch, and cancels cleanly', () => {
    const { train } = iris();
    const model = createPreset('iris');
    let batches = 0, epochs = 0;
    const result = fit(model, train, { epochs: 5, batchSize: 10, loss: 'mse', onBatch: () => batches++, onEpoch: () => epochs++, shouldStop: () => batches === 15 });
    expect(result.stopped).toBe('cancelled');
    expect(batches).toBe(15);
    expect(epochs).toBe(1);
  });
});

describe('model files', () => {
  const directory = mkdtempSync(join(tmpdir(), 'convlab-'));
  it('save → load → predict gives identical outputs', () => {
    const model = createPreset('cnn', { seed: 9 });
    const path = join(directory, 'cnn.json');
    saveModel(path, model, { note: 'test' });
    const { model: loaded, training } = loadModel(path);
    expect(training).toEqual({ note: 'test' });
    const x = fromData(randomData(2, 4, [1, 28, 28], 10).inputs, [4, 1, 28, 28]);
    expect(Array.from(loaded.predict(x).data)).toEqual(Array.from(model.predict(x).data));
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
  it('a damaged, truncated, foreign or newer file throws a clear error', () => {
    const text = modelToJSON(createPreset('mlp'));
    expect(() => modelFromJSON(text.slice(0, text.length / 2))).toThrow(/not valid JSON \(damaged or truncated\?\)/);
    expect(() => modelFromJSON('{"hello": 1}')).toThrow(/is not a convlab model/);
    expect(() => modelFromJSON(text.replace('"version":1', '"version":99'))).toThrow(/format version 99, newer than this convlab reads \(1\)/);
    const file = JSON.parse(text); file.weights[0].data = file.weights[0].data.slice(0, 400);
    expect(() => modelFromJSON(file)).toThrow(/damaged: layer 1 weights needs 78400 values, the file has 75/);
    const missing = JSON.parse(text); missing.weights.pop();
    expect(() => modelFromJSON(missing)).toThrow(/the network has 4 weight tensors but the file has 3/);
    expect(() => loadModel(join(directory, 'absent.json'))).toThrow(/does not exist/);
    writeFileSync(join(directory, 'bad.json'), 'not json');
    expect(() => loadModel(join(directory, 'bad.json'))).toThrow(/bad.json is not valid JSON/);
  });
  it('a failed save leaves the previous file intact and no temporary behind', () => {
    const path = join(directory, 'keep.json');
    saveModel(path, createPreset('iris'));
    const before = readFileSync(path, 'utf8');
    const broken = createPreset('iris');
    (broken as unknown as { configs: unknown }).configs = [{ circular: null }];
    (broken.configs[0] as unknown as { circular: unknown }).circular = broken.configs; // JSON.stringify throws
    expect(() => saveModel(path, broken)).toThrow();
    expect(readFileSync(path, 'utf8')).toBe(before);
    expect(readdirSync(directory).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

it('tensor helpers round-trip', () => {
  expect(tensor([[1, 2], [3, 4]]).shape).toEqual([2, 2]);
});
