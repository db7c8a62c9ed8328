// The trainer's inputs are checked before the first batch, and a run whose loss explodes while staying finite is
// reported as divergence, not as success.
import { describe, it, expect } from 'vitest';
import { Sequential, fit, createPreset, seeded, TrainingDivergedError, type Dataset, type EpochRecord, type FitOptions } from '../../core/index.js';

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
