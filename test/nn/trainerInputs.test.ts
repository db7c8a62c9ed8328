// The trainer's inputs are checked before the first batch, and a run whose loss explodes while staying finite is
// reported as divergence, not as success.
import { describe, it, expect } from 'vitest';
import { Sequential, fit, createPreset, seeded, validationCount, thin, TrainingDivergedError, type Dataset, type EpochRecord, type FitOptions } from '../../core/index.js';

function data(n: number, seed = 1): Dataset {
  const random = seeded(seed);
  const labels = Int32Array.from({ length: n }, () => random.int(3));
  const inputs = Float32Array.from({ length: n * 4 }, (_, i) => labels[Math.floor(i / 4)] + random.uniform(-0.3, 0.3));
  return { inputs, labels, sampleShape: [4], classes: 3 };
}
const mlp = () => new Sequential({ inputShape: [4], seed: 1, layers: [{ type: 'dense', units: 8 }, { type: 'relu' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });

describe('fit checks its inputs before training', () => {
  it.each([
    ['a label outside [0, classes)', (d: Dataset) => { d.labels[5] = 3; }, /fit: sample 5 has label 3, outside 0..2 \(3 classes\)/],
    ['a negative label', (d: Dataset) => { d.labels[0] = -1; }, /fit: sample 0 has label -1/],
    ['a NaN pixel', (d: Dataset) => { d.inputs[4 * 7 + 2] = NaN; }, /fit: sample 7 has a non-finite value \(NaN\) at position 2/],
    ['an infinite pixel', (d: Dataset) => { d.inputs[1] = Infinity; }, /fit: sample 0 has a non-finite value \(Infinity\) at position 1/],
  ])('%s', (_, spoil, message) => {
    const d = data(30); spoil(d);
    expect(() => fit(mlp(), d, { epochs: 1 })).toThrow(message);
  });
  it('0 samples', () => {
    expect(() => fit(mlp(), { inputs: new Float32Array(0), labels: new Int32Array(0), sampleShape: [4], classes: 3 }, { epochs: 1 }))
      .toThrow(/fit: the data set is empty \(0 samples\)/);
  });
  it.each([
    [{ earlyStopping: { patience: 0 } }, /earlyStopping.patience must be a positive integer/],
    [{ schedule: 'bogus' }, /fit: schedule must be 'constant' or 'cosine', got "bogus"/],
    [{ optimizer: { type: 'momentum', learningRate: 0.1, momentum: NaN } }, /optimizer: momentum must be in \[0, 1\), got NaN/],
    [{ optimizer: { type: 'adam', learningRate: 0.1, weightDecay: -1e-4 } }, /optimizer: weightDecay must be a finite number ≥ 0, got -0.0001/],
    [{ optimizer: { type: 'adam', learningRate: 0.1, beta2: 1 } }, /optimizer: beta2 must be in \[0, 1\), got 1/],
    [{ validationSplit: 0.01 }, /validationSplit 0.01 of 30 samples leaves 30 to train and 0 to validate/],
    [{ augment: { rotate: -5 } }, /fit: augment.rotate must be a finite number ≥ 0, got -5/],
  ])('%j', (extra, message) => {
    expect(() => fit(mlp(), data(30), { epochs: 1, ...(extra as Partial<FitOptions>) })).toThrow(message);
  });
  it('hands onEpoch a copy of the history, not the array it returns', () => {
    const seen: EpochRecord[][] = [];
    const { history } = fit(mlp(), data(30), { epochs: 2, onEpoch: (_, h) => { seen.push(h); h.length = 0; } });
    expect(history).toHaveLength(2);
    expect(seen[1]).not.toBe(history);
  });
  it('a batch larger than the data is one batch of all of it, with the same result as batch = n', () => {
    const a = mlp(), b = mlp();
    fit(a, data(30), { epochs: 2, batchSize: 40000, seed: 3 });
    fit(b, data(30), { epochs: 2, batchSize: 30, seed: 3 });
    a.params().forEach((p, i) => expect(Array.from(p.value.data)).toEqual(Array.from(b.params()[i].value.data)));
  });
});

describe('divergence that stays finite', () => {
  it('a learning rate of 1e6 is reported as divergence (TrainingDivergedError), not completed', () => {
    const model = createPreset('mlp', { seed: 1 });
    const random = seeded(2);
    const labels = Int32Array.from({ length: 256 }, () => random.int(10));
    const inputs = Float32Array.from({ length: 256 * 784 }, () => random.next());
    let error: unknown;
    try { fit(model, { inputs, labels, sampleShape: [1, 28, 28], classes: 10 }, { epochs: 3, batchSize: 32, optimizer: { type: 'adam', learningRate: 1e6 } }); }
    catch (e) { error = e; }
    expect(error).toBeInstanceOf(TrainingDivergedError);
    expect((error as Error).message).toMatch(/training diverged at epoch 1: (the mean loss rose to .*, more than 10×|the loss became)/);
  });
  it('a healthy run is not flagged', () => {
    expect(fit(mlp(), data(60), { epochs: 5, optimizer: { type: 'adam', learningRate: 0.01 } }).stopped).toBe('completed');
  });
});

describe('the pieces the training page calls (#21)', () => {
  it('validationCount is the size of the split fit holds out', () => {
    const data: Dataset = { inputs: Float32Array.from({ length: 37 * 4 }, (_, i) => Math.sin(i)), labels: Int32Array.from({ length: 37 }, (_, i) => i % 3), sampleShape: [4], classes: 3 };
    for (const fraction of [0.05, 0.1, 0.2, 0.5, 0.9]) {
      const held = validationCount(37, fraction);
      let trained = 0;
      fit(mlp(), data, { epochs: 1, batchSize: 1000, validationSplit: fraction, onEpoch: (_r, _h, timing) => { trained = timing.samples; } });
      expect(trained).toBe(37 - held);
    }
    expect(validationCount(8000, 0.1)).toBe(800);
    expect(() => validationCount(10, 0.01)).toThrow(/leaves 10 to train and 0 to validate/);
    expect(() => validationCount(10, 1)).toThrow(/must be in \(0, 1\)/);
  });
  it('createPreset\'s dropout sets every dropout layer\'s rate and nothing else', () => {
    const own = createPreset('lab-cnn-dropout'), off = createPreset('lab-cnn-dropout', { dropout: 0 });
    expect(own.configs.filter((c) => c.type === 'dropout').map((c) => (c as { rate: number }).rate)).toEqual([0.25, 0.5]);
    expect(off.configs.filter((c) => c.type === 'dropout').map((c) => (c as { rate: number }).rate)).toEqual([0, 0]);
    expect(off.configs.map((c) => c.type)).toEqual(own.configs.map((c) => c.type));
    expect(off.params().map((p) => Array.from(p.value.data.slice(0, 5)))).toEqual(own.params().map((p) => Array.from(p.value.data.slice(0, 5))));
    expect(() => createPreset('lab-cnn-dropout', { dropout: 1 })).toThrow(/rate must be a number in \[0, 1\)/);
  });
  it('thin keeps `limit` samples spread through the set', () => {
    const data: Dataset = { inputs: new Float32Array(100), labels: Int32Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)), sampleShape: [1], classes: 10 };
    expect(Array.from(thin(data, 10).labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(thin(data, 500)).toBe(data);
  });
});
