// The training run's state machine (viz/src/lib/training.ts) in Node: status follows the worker's confirmations.
import { describe, it, expect } from 'vitest';
import { initialState, started, requested, receive, divergence, wantsLogScale, threadNote, isActive, augmentationFor, dropoutRates, decadeRange, logTicks, aboveTrainingNote,
  type TrainSettings, type TrainMessage, type BatchItem, type RunState } from '../../viz/src/lib/training.js';
import { printShort, presets, createPreset, fit, evaluate, thin } from '../../core/index.js';
import { loadDigits } from '../../core/data/node.js';
import { DEFAULT_DISTORTIONS } from '../../core/data/augment.js';

const settings: TrainSettings = { preset: 'mlp', optimizer: 'sgd', learningRate: 1000, batchSize: 64, init: 'heUniform', epochs: 1, seed: 1, threads: 1, kernels: 'wasm',
  validationSplit: 0.2, dropout: null, augment: false, limit: null };
const setup: Extract<TrainMessage, { type: 'setup' }> = { type: 'setup', kernels: 'TypeScript', threads: 1, reason: '', resident: false, sharedHelper: false, layers: [{ layer: 1, type: 'dense' }, { layer: 3, type: 'dense' }],
  trainer: { samples: { train: 6400, validation: 1600, test: 2000 }, augment: null, dropout: [] } };
const batch = (n: number, loss: number, epoch = 1): BatchItem => ({ epoch, batch: n, batches: 100, loss, accuracy: 0.5, samples: n * 64, norms: [0.1, 1] });
const feed = (state: RunState, ...messages: TrainMessage[]) => messages.reduce(receive, state);

describe('receive', () => {
  it('keeps the latest class map of the run and the first one\'s share of same-class neighbours; a new run forgets them', () => {
    const projection = (epochs: number, purity: number) => ({ type: 'projection' as const, projection: { epochs, layer: 2, dims: 100, xy: new Float64Array(4), labels: Int32Array.of(0, 1),
      predicted: Int32Array.of(0, 1), explained: [0.2, 0.1] as [number, number], purity, ms: 50, learned: true } });
    const state = feed(started(settings), setup, projection(0, 0.3), projection(0.5, 0.6), projection(1, 0.8));
    expect(state.projection).toMatchObject({ firstPurity: 0.3, count: 3, latest: { epochs: 1, purity: 0.8 } });
    expect(started(settings).projection).toBeNull();
  });

  it('a Pause pressed while the worker sets up is pending until the worker confirms it, and setup keeps it paused', () => {
    let state = requested(started(settings), 'pause');
    expect(state).toMatchObject({ status: 'starting', pending: 'pause' });
    state = feed(state, { type: 'paused' }, setup);
    expect(state).toMatchObject({ status: 'paused', pending: null, engine: { threads: 1 } });
    state = feed(requested(state, 'resume'), { type: 'resumed' });
    expect(state.status).toBe('running');
  });

  it('Stop pressed during start-up ends as stopped, not completed; the status changes only on messages', () => {
    let state = requested(started(settings), 'stop');
    expect(state.status).toBe('starting');
    state = feed(state, { type: 'stopping' }, setup);
    expect(state.status).toBe('stopping');
    expect(isActive(state)).toBe(true);
    state = receive(state, { type: 'done', stopped: 'cancelled', testAccuracy: 0.1, confusion: [], misclassified: [], model: '{}', samplesPerSecond: 0 });
    expect(state).toMatchObject({ status: 'done', result: { stopped: 'cancelled' } });
    expect(isActive(state)).toBe(false);
  });

  it('smooths and samples the batch losses, keeps gradient norms per layer, appends epochs', () => {
    const state = feed(started(settings), setup, { type: 'batches', items: [batch(1, 2), batch(2, 1), batch(3, 1), batch(4, 1), batch(5, 1)], samplesPerSecond: 100 },
      { type: 'epoch', epoch: 1, loss: 1.2, accuracy: 0.6, valLoss: 1.1, valAccuracy: 0.62, distinctHiddenUnits: 100, hiddenUnits: 100 });
    expect(state.batches.x).toEqual([0.01, 0.05]);
    expect(state.batches.loss[0]).toBe(2);
    expect(state.batches.loss[1]).toBeCloseTo(2 * 0.95 ** 4 + (1 - 0.95 ** 4), 10);
    expect(state.gradients).toEqual({ layers: setup.layers, x: [0.01, 0.05], norms: [[0.1, 1], [0.1, 1]] });
    expect(state.epochs).toEqual([{ epoch: 1, loss: 1.2, accuracy: 0.6, valLoss: 1.1, valAccuracy: 0.62 }]);
    expect(state.progress).toEqual({ epoch: 1, batch: 5, batches: 100, samplesPerSecond: 100 });
  });

  it('detects divergence while the loss is still finite', () => {
    const items = Array.from({ length: 20 }, (_, i) => batch(i + 1, i < 2 ? 2.3 : 1e15));
    const state = feed(started(settings), setup, { type: 'batches', items, samplesPerSecond: 1 });
    expect(state.divergence).toMatch(/The loss grew from 2\.3 to .*e\+?1[45] instead of falling: the learning rate is too large\. Try 0\.01: 100 would still diverge\./);
    const calm = feed(started(settings), setup, { type: 'batches', items: Array.from({ length: 20 }, (_, i) => batch(i + 1, 2.3 / (1 + i))), samplesPerSecond: 1 });
    expect(calm.divergence).toBeNull();
  });

  it('a worker error about divergence says the learning rate is too large', () => {
    const state = feed(started(settings), setup, { type: 'error', message: 'training diverged at epoch 1, batch 3: the loss became NaN (try a smaller learning rate)' });
    expect(state.status).toBe('failed');
    expect(state.divergence).toMatch(/the learning rate is too large/);
  });
});

describe('helpers', () => {
  it('divergence: NaN at once, a grown loss only after ten batches', () => {
    expect(divergence([NaN], { loss: 1, first: 1 }, 1)).toMatch(/became NaN: the learning rate is too large/);
    expect(divergence([9], { loss: 9, first: 2 }, 5)).toBeNull();
    expect(divergence([9], { loss: 9, first: 2 }, 10)).toMatch(/grew from 2 to 9/);
  });
  it('log scale when the values span more than two decades', () => {
    expect(wantsLogScale([2.3, 1e15])).toBe(true);
    expect(wantsLogScale([2.3, 0.1])).toBe(false);
    expect(wantsLogScale([0, -1, 5])).toBe(false);
  });
  it('formats numbers short enough for an axis', () => {
    expect([0, 0.25, 2.3026, 12.5, 1234.5, 3.4e15, 0.0002, -0.5].map(printShort)).toEqual(['0', '0.25', '2.3', '12.5', '1,235', '3.4e+15', '2e-4', '-0.5']);
  });
  it('explains slow threads only when they were slower, or when there is no second core', () => {
    const key = 'cnn/32/wasm';
    expect(threadNote([{ key, threads: 1, samplesPerSecond: 1200 }], { key, threads: 2, samplesPerSecond: 900 }, 2)).toMatch(/Two threads ran at 900 samples\/s, one thread at 1200 earlier: this computer reports 2 cores/);
    expect(threadNote([{ key, threads: 1, samplesPerSecond: 800 }], { key, threads: 2, samplesPerSecond: 1200 }, 8)).toBeNull();
    expect(threadNote([], { key, threads: 2, samplesPerSecond: 1200 }, 2)).toMatch(/only when a second core is free/);
    expect(threadNote([], { key, threads: 1, samplesPerSecond: 1200 }, 2)).toBeNull();
  });
  it('starts from a clean state', () => {
    expect(initialState().status).toBe('idle');
  });
});

describe('axis ticks', () => {
  it('a log axis gets whole decades, at most about six', async () => {
    const { logTicks } = await import('../../viz/src/lib/training.js');
    expect(logTicks(1e-4, 10)).toEqual([1e-4, 1e-3, 1e-2, 1e-1, 1, 10]);
    expect(logTicks(1, 1e15).length).toBeLessThanOrEqual(8);
    expect(logTicks(0, 10)).toEqual([]);
  });
  it('a linear axis gets as many decimals as its spacing needs', async () => {
    const { tickLabels } = await import('../../viz/src/lib/training.js');
    expect(tickLabels([2.305, 2.31, 2.315])).toEqual(['2.305', '2.310', '2.315']);
    expect(tickLabels([0, 0.5, 1])).toEqual(['0.0', '0.5', '1.0']);
    expect(tickLabels([0, 200000, 400000])).toEqual(['0', '2e+5', '4e+5']);
    // ticks 0.25 apart print as themselves (they read 0.0, 0.3, 0.5, 0.8, 1.0 on the training page's accuracy chart)
    expect(tickLabels([0, 0.25, 0.5, 0.75, 1])).toEqual(['0.00', '0.25', '0.50', '0.75', '1.00']);
    expect(tickLabels([0.8, 0.85, 0.9, 0.95])).toEqual(['0.80', '0.85', '0.90', '0.95']);
  });
});

describe('the lab knobs (#21)', () => {
  it('the worker\'s report of what the trainer got is the run\'s state', () => {
    expect(feed(started(settings), setup).trainer).toEqual(setup.trainer);
    expect(initialState().trainer).toBeNull();
  });
  it('distortions on are the preset recipe\'s own, else core\'s defaults; off is none', () => {
    expect(augmentationFor('cnn', true)).toEqual(presets.cnn.recipe.augment);
    expect(presets['lab-mlp-relu'].recipe.augment).toBeUndefined();
    expect(augmentationFor('lab-mlp-relu', true)).toEqual(DEFAULT_DISTORTIONS);
    expect(augmentationFor('cnn', false)).toBeNull();
  });
  it('dropout rates are read from the preset\'s layers', () => {
    expect(dropoutRates('lab-cnn-dropout')).toEqual([0.25, 0.5]);
    expect(dropoutRates('cnn')).toEqual([]);
  });
});

describe('the learning curve\'s log axis', () => {
  it('spans whole decades around the sizes and is ticked at each decade', () => {
    expect(decadeRange(500, 8000)).toEqual([100, 10000]);
    expect(logTicks(...decadeRange(500, 8000))).toEqual([100, 1000, 10000]);
    expect(decadeRange(1000, 1000)).toEqual([1000, 10000]);
    expect(decadeRange(0.002, 0.3)).toEqual([0.001, 1]);
  });
});

describe('validation accuracy above training accuracy (the learning curve after 1 epoch)', () => {
  it('is what the epoch\'s training figure means: the mean over batches scored while learning, below the finished network\'s accuracy on the same digits', () => {
    const train = thin(loadDigits().train, 1000);
    const model = createPreset('lab-mlp-linear', { seed: 1 });
    const { history } = fit(model, train, { epochs: 1, batchSize: 32, seed: 1, optimizer: { type: 'sgd', learningRate: 0.1 } });
    const after = evaluate(model, train).accuracy;
    expect(history[0].accuracy).toBeLessThan(after - 0.05); // the same digits, scored again by the network the epoch ended with
  });
  it('the page says so only when some run shows it, naming distortions and dropout only when they were on', () => {
    expect(aboveTrainingNote([{ train: 0.9, validation: 0.85, epochs: 1, augment: true, dropout: true }])).toBeNull();
    const plain = aboveTrainingNote([{ train: 0.8, validation: 0.85, epochs: 1, augment: false, dropout: false }])!;
    expect(plain).toMatch(/average over the epoch's batches/);
    expect(plain).toMatch(/nearly untrained/);
    expect(plain).not.toMatch(/distorted|dropout/);
    const harder = aboveTrainingNote([{ train: 0.9, validation: 0.95, epochs: 10, augment: true, dropout: true }])!;
    expect(harder).toMatch(/on distorted digits and with dropout switching units off/);
    expect(harder).not.toMatch(/nearly untrained/);
  });
});
