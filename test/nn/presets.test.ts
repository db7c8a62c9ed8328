// The course lab's networks as presets: the lab's layer sizes (parameter counts as Keras's summary prints
// them), what a UI can list, each one trains; and the trainer's per-epoch timing.
import { describe, it, expect } from 'vitest';
import { Sequential, createPreset, presets, presetNames, presetInfo, fit, seeded, trainSteps, type Dataset, type PresetName, type EpochTiming } from '../../core/index.js';

function randomData(seed: number, count: number, sampleShape: number[], classes = 10): Dataset {
  const random = seeded(seed);
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return {
    inputs: Float32Array.from({ length: count * size }, () => random.next()),
    labels: Int32Array.from({ length: count }, () => random.int(classes)),
    sampleShape, classes,
  };
}

// Keras's model.summary() of the lab's models (Conv2D params = (kh·kw·C + 1)·K, Dense = (in + 1)·out),
// worked out by hand from the lab's layer sizes, not from convlab.
const keras: Record<string, { shapes: number[][]; params: number }> = {
  'lab-mlp-linear': { shapes: [[784], [10]], params: 785 * 10 },
  'lab-mlp-relu': { shapes: [[784], [128], [10]], params: 785 * 128 + 129 * 10 },
  // conv 32 3×3: 26×26×32 (320) → conv 64 3×3: 24×24×64 (18,496) → pool: 12×12×64 → 9,216 → 128 (1,179,776) → 10 (1,290)
  'lab-cnn': { shapes: [[32, 26, 26], [64, 24, 24], [64, 12, 12], [9216], [128], [10]], params: 320 + 18496 + 1179776 + 1290 },
  'lab-cnn-dropout': { shapes: [[32, 26, 26], [64, 24, 24], [64, 12, 12], [9216], [128], [10]], params: 320 + 18496 + 1179776 + 1290 },
  // 32×32×3 → 'same' 32×32×32 (896) → 30×30×32 (9,248) → 15×15 → 'same' 15×15×32 (9,248) → 13×13×32 (9,248) → 6×6
  //   → 1,152 → 512 (590,336) → 10 (5,130)
  'lab-cifar-cnn': { shapes: [[32, 32, 32], [32, 30, 30], [32, 15, 15], [32, 15, 15], [32, 13, 13], [32, 6, 6], [1152], [512], [10]],
    params: 896 + 9248 + 9248 + 9248 + 590336 + 5130 },
};
const labNames = Object.keys(keras) as PresetName[];

/** Output shapes after each conv, pool, flatten and dense layer (where Keras prints a row with a new shape). */
function shapesOf(name: PresetName): number[][] {
  const model = createPreset(name);
  return model.layers.filter((layer) => ['conv', 'maxPool', 'flatten', 'dense'].includes(layer.config.type)).map((layer) => layer.outputShape);
}

describe('the lab presets have the lab\'s layer sizes', () => {
  it.each(labNames)('%s: output shapes and parameter count as in Keras', (name) => {
    expect(shapesOf(name)).toEqual(keras[name].shapes);
    expect(createPreset(name).parameterCount).toBe(keras[name].params);
  });

  it('lab-cnn-dropout is lab-cnn with dropout .25 after the pooling and .5 after dense 128', () => {
    const types = (name: PresetName) => presets[name].layers.map((c) => (c.type === 'dropout' ? `dropout ${c.rate}` : c.type));
    expect(types('lab-cnn')).toEqual(['conv', 'relu', 'conv', 'relu', 'maxPool', 'flatten', 'dense', 'relu', 'dense', 'softmax']);
    expect(types('lab-cnn-dropout')).toEqual(['conv', 'relu', 'conv', 'relu', 'maxPool', 'dropout 0.25', 'flatten', 'dense', 'relu', 'dropout 0.5', 'dense', 'softmax']);
  });

  it("lab-cifar-cnn's blocks: conv 'same' → conv 'valid' → pool → dropout .25, twice, then dense 512 → dropout .5", () => {
    const layers = presets['lab-cifar-cnn'].layers;
    const convs = layers.filter((c) => c.type === 'conv');
    expect(convs.map((c) => c.type === 'conv' && [c.filters, c.kernelSize, c.padding ?? 'valid'])).toEqual([
      [32, 3, 'same'], [32, 3, 'valid'], [32, 3, 'same'], [32, 3, 'valid']]);
    expect(layers.filter((c) => c.type === 'dropout').map((c) => c.type === 'dropout' && c.rate)).toEqual([0.25, 0.25, 0.5]);
    expect(presets['lab-cifar-cnn'].inputShape).toEqual([3, 32, 32]);
  });

  it('the same seed gives the same weights; another seed others', () => {
    const weights = (seed: number) => createPreset('lab-cnn', { seed }).params()[0].value.data;
    expect(weights(3)).toEqual(weights(3));
    expect(weights(3)).not.toEqual(weights(4));
  });
});

describe('presetNames and presetInfo list every preset for a UI', () => {
  it('names every preset once, with a title, input shape and data set', () => {
    expect(presetNames).toEqual(Object.keys(presets));
    expect(new Set(presetNames).size).toBe(presetNames.length);
    for (const name of [...labNames, 'mlp', 'cnn', 'iris']) expect(presetNames).toContain(name);
    for (const info of presetInfo) {
      expect(info.title.length).toBeGreaterThan(10);
      expect(info.inputShape).toEqual(presets[info.name].inputShape);
    }
    const dataset = (name: string) => presetInfo.find((info) => info.name === name)?.dataset;
    expect(dataset('lab-cifar-cnn')).toBe('cifar10');
    expect(dataset('lab-cnn')).toBe('digits');
    expect(dataset('iris')).toBe('iris');
  });

  it('createPreset refuses an unknown name, listing the lab presets', () => {
    expect(() => createPreset('lab-resnet' as PresetName)).toThrow(/unknown preset 'lab-resnet'.*lab-cnn-dropout.*lab-cifar-cnn/);
  });
});

describe('each lab preset trains with its recipe', () => {
  it.each(labNames)('%s: a few batches of random data of its input shape, finite and falling loss', (name) => {
    const preset = presets[name];
    const data = randomData(5, 24, preset.inputShape);
    const model = createPreset(name, { seed: 2 });
    const { history } = fit(model, data, { ...preset.recipe, epochs: 3, batchSize: 8, seed: 1 });
    expect(history).toHaveLength(3);
    for (const record of history) expect(Number.isFinite(record.loss)).toBe(true);
    // 24 random samples are learnable by heart: the loss falls
    expect(history[2].loss).toBeLessThan(history[0].loss);
  });
});

describe('per-epoch timing (Keras: "… s - … µs/sample")', () => {
  it('each epoch event carries its time and samples, and the history stays free of times', () => {
    const tiny = randomData(1, 40, [1, 6, 6], 3);
    const timings: EpochTiming[] = [];
    const net = new Sequential({ inputShape: [1, 6, 6], layers: [{ type: 'flatten' }, { type: 'dense', units: 3 }, { type: 'softmax' }] });
    const result = fit(net, tiny, { epochs: 2, batchSize: 16, validationSplit: 0.25, onEpoch: (_record, _history, timing) => timings.push(timing) });
    expect(timings).toHaveLength(2);
    for (const timing of timings) {
      expect(timing.samples).toBe(30); // 40 minus the 10 held out for validation
      expect(timing.seconds).toBeGreaterThan(0);
      expect(timing.microsecondsPerSample).toBeCloseTo((timing.seconds * 1e6) / timing.samples, 6);
    }
    expect(Object.keys(result.history[0]).sort()).toEqual(['accuracy', 'epoch', 'loss', 'valAccuracy', 'valLoss']);
    const events = [...(function* () { const steps = trainSteps(net, tiny, { epochs: 1, batchSize: 40 }); for (let e = steps.next(); !e.done; e = steps.next()) yield e.value; })()];
    const epoch = events.find((e) => e.kind === 'epoch');
    expect(epoch?.kind === 'epoch' && epoch.timing.samples).toBe(40);
  });
});
