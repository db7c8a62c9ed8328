// A run stopped after an epoch and resumed from the state fit() reported gives the same weights and history, bit for
// bit, as the run straight through: the generator (shuffles, augmentation, dropout), the shuffled order, the
// optimizer's moments and step count, and the epoch all carry over.
import { describe, it, expect } from 'vitest';
import { Sequential, fit, subset, type FitOptions, type TrainingState } from '../../core/index.js';
import { loadDigits } from '../../core/node.js';

const { train } = loadDigits();
const data = subset(train, Array.from({ length: 160 }, (_, i) => i * 50));
const build = () => new Sequential({
  inputShape: [1, 28, 28], init: 'heUniform', seed: 3,
  layers: [{ type: 'conv', filters: 3, kernelSize: 5 }, { type: 'relu' }, { type: 'maxPool', size: 2 }, { type: 'flatten' },
    { type: 'dropout', rate: 0.3 }, { type: 'dense', units: 10 }, { type: 'softmax' }],
});
const weights = (model: Sequential) => model.params().map((p) => Array.from(p.value.data));

describe('fit with resume', () => {
  for (const optimizer of [{ type: 'adam', learningRate: 0.005 }, { type: 'momentum', learningRate: 0.02, momentum: 0.9 }] as const) {
    it(`${optimizer.type}: stopped after epoch 1 or 2 and resumed gives the same weights as 3 epochs straight`, () => {
      const options: FitOptions = { epochs: 3, batchSize: 16, seed: 7, optimizer, validationSplit: 0.25, schedule: 'cosine', augment: { shift: 1, rotate: 5 } };
      const straight = build();
      const states: TrainingState[] = [], snapshots: Float32Array[][] = [];
      const full = fit(straight, data, { ...options, onState: (state) => { states.push(state); snapshots.push(straight.params().map((p) => p.value.data.slice())); } });
      expect(states.map((s) => s.epoch)).toEqual([1, 2, 3]);
      for (const at of [0, 1]) {
        const resumed = build();
        resumed.params().forEach((p, i) => p.value.data.set(snapshots[at][i]));
        const rest = fit(resumed, data, { ...options, resume: states[at] });
        expect(rest.history).toEqual(full.history);
        expect(weights(resumed)).toEqual(weights(straight));
      }
      // a fresh start differs from the resumed one: the state is what makes them equal
      const fresh = build();
      fresh.params().forEach((p, i) => p.value.data.set(snapshots[0][i]));
      fit(fresh, data, { ...options, epochs: 2 });
      expect(weights(fresh)).not.toEqual(weights(straight));
    }, 60_000);
  }
  it('refuses a state from other data or an epoch past the run', () => {
    let state: TrainingState | undefined;
    fit(build(), data, { epochs: 1, batchSize: 32, seed: 1, onState: (s) => { state = s; } });
    expect(() => fit(build(), subset(data, [1, 2, 3]), { epochs: 2, batchSize: 32, seed: 1, resume: state })).toThrow(/trained on 160 samples, this one on 3: not the same data/);
    expect(() => fit(build(), data, { epochs: 1, batchSize: 32, seed: 1, resume: state })).toThrow(/stopped after epoch 1; epochs must be more than that \(got 1\)/);
  });
});
