// One driver for the step generator: fit, the CLI and the training page's worker all call runSteps (core/nn/trainer.ts),
// each with its own slice and stop flag. Slicing changes nothing in the run: the same weights and history, bit for bit.
import { describe, it, expect } from 'vitest';
import { Sequential, fit, trainSteps, runSteps, seeded, type Dataset, type FitOptions, type TrainingEvent } from '../../core/index.js';
import { filesMatching } from '../helpers.js';

function data(): Dataset {
  const random = seeded(4), n = 45;
  return { inputs: Float32Array.from({ length: n * 6 }, () => random.uniform(-1, 1)), labels: Int32Array.from({ length: n }, (_, i) => i % 3),
    sampleShape: [6], classes: 3 } as Dataset;
}
const model = () => new Sequential({ inputShape: [6], layers: [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dropout', rate: 0.2 }, { type: 'dense', units: 3 }, { type: 'softmax' }], seed: 2 });
const options: FitOptions = { epochs: 3, batchSize: 7, seed: 3, validationSplit: 0.2, optimizer: { type: 'adam', learningRate: 0.02 } };

describe('runSteps', () => {
  it('in slices of one step gives fit\'s events, history and weights, bit for bit', () => {
    const a = model(), b = model();
    const fitEvents: string[] = [];
    const whole = fit(a, data(), { ...options, onBatch: (i) => fitEvents.push(`b${i.epoch}.${i.batch}:${i.loss}`), onEpoch: (r) => fitEvents.push(`e${r.epoch}:${r.valLoss}`) });
    const steps = trainSteps(b, data(), options), events: string[] = [];
    const onEvent = (e: TrainingEvent) => events.push(e.kind === 'batch' ? `b${e.info.epoch}.${e.info.batch}:${e.info.loss}` : `e${e.record.epoch}:${e.record.valLoss}`);
    let slices = 0, ran;
    do { ran = runSteps(steps, { sliceMs: 0, onEvent }); slices++; } while (!ran.done);
    expect(events).toEqual(fitEvents);
    expect(slices).toBe(events.length + 1);
    expect(JSON.stringify(ran.result.history)).toBe(JSON.stringify(whole.history));
    expect(b.params().map((p) => Array.from(p.value.data))).toEqual(a.params().map((p) => Array.from(p.value.data)));
  });

  it('a stop flag set between slices stops after the batch the last slice ended on', () => {
    const steps = trainSteps(model(), data(), options);
    let stopping = false, batches = 0;
    const onEvent = (e: TrainingEvent) => { if (e.kind === 'batch') batches++; };
    for (let i = 0; i < 4; i++) expect(runSteps(steps, { sliceMs: 0, shouldStop: () => stopping, onEvent }).done).toBe(false);
    stopping = true;
    const ran = runSteps(steps, { sliceMs: 0, shouldStop: () => stopping, onEvent });
    expect(ran.done && ran.result.stopped).toBe('cancelled');
    expect(batches).toBe(4);
  });

  it('is the only driver: nothing else steps the generator, and every caller of trainSteps calls runSteps', () => {
    const roots = ['core', 'viz/src', 'bench', 'exercises'];
    expect(filesMatching(roots, /steps\.next\(/, ['core/nn/trainer.ts'])).toEqual([]);
    const callers = filesMatching(roots, /\btrainSteps\(/, ['core/nn/trainer.ts']);
    expect(callers.length).toBeGreaterThanOrEqual(2); // the CLI and the worker
    expect(callers.filter((file) => !filesMatching([file.slice(0, file.lastIndexOf('/'))], /\brunSteps\(/).includes(file))).toEqual([]);
  });
});
