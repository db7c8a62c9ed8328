// The playground's session (viz/src/lib/playground/session.svelte.ts): the numbers are core's PlaygroundRun's, bit for
// bit, and every field a view reads is replaced, never changed in place, when a step, an edited weight or a reset
// changes it (that is what lets the page redraw without a counter).
import { describe, it, expect } from 'vitest';
import { PlaygroundSession } from '../../viz/src/lib/playground/session.svelte.js';
import { DEFAULTS, networkSpec, stepSettings, DATA_POINTS } from '../../viz/src/lib/playground/state.js';
import { PlaygroundRun, planarData, splitPoints, explainNeuron, predictPoints } from '../../core/index.js';

const state = { ...DEFAULTS, data: 'spiral' as const, hidden: [3, 2] };
/** The same run with core alone: what the session must show. */
function bareRun() {
  const points = planarData(state.data, { count: DATA_POINTS, noise: state.noise / 100, seed: state.dataSeed, classes: 2 });
  const { train, test } = splitPoints(points, state.ratio / 100, state.dataSeed);
  return new PlaygroundRun(networkSpec(state), stepSettings(state), state.optimizer, train, test);
}
const fields = (s: PlaygroundSession) => ({ history: s.history, parameters: s.parameters, output: s.output, neurons: s.neurons, outputColumns: s.outputColumns });

describe('playground session', () => {
  it('shows the losses and weights of core\'s run, bit for bit, epoch after epoch', () => {
    const session = new PlaygroundSession(state), run = bareRun();
    for (let epoch = 1; epoch <= 3; epoch++) {
      session.tick(); run.runEpoch();
      const train = run.evaluate('train'), test = run.evaluate('test');
      expect(session.epoch).toBe(epoch);
      expect(session.history.at(-1)).toEqual({ epoch, train: train.loss, test: test.loss, trainAccuracy: train.accuracy, testAccuracy: test.accuracy });
      session.parameters.forEach((p, layer) => {
        expect(Array.from(p.weights)).toEqual(Array.from(run.denseLayer(layer).weights.data));
        expect(Array.from(p.bias)).toEqual(Array.from(run.denseLayer(layer).bias.data));
      });
    }
    const point = { x: 1.5, y: -2 };
    expect(session.explain(1, 0, point)).toEqual(explainNeuron(run.model, state.features, 1, 0, point));
    expect(session.outputAt(point)).toEqual(Array.from(predictPoints(run.model, state.features, [point])));
    expect(session.gradientAt({ layer: 1, from: 2, to: 1 })).toBe(run.gradients()[2][1 * 3 + 2]);
  });

  it('replaces every field a view reads on a step and on an edited weight, and leaves the points alone', () => {
    const session = new PlaygroundSession(state);
    const points = { train: session.train, test: session.test, grids: session.featureGrids };
    for (const change of [() => session.tick(), () => session.setWeight({ layer: 0, from: 1, to: 2 }, 0.75)]) {
      const before = fields(session), history = before.history.slice();
      change();
      const after = fields(session);
      for (const key of Object.keys(before) as (keyof typeof before)[]) expect(after[key], key).not.toBe(before[key]);
      expect(before.history).toEqual(history); // the old array was not changed in place
    }
    expect(session.parameters[0].weights[2 * session.parameters[0].inputs + 1]).toBe(0.75);
    expect(session.history).toHaveLength(2); // an edit re-records the last point instead of adding one
    expect({ train: session.train, test: session.test, grids: session.featureGrids }).toEqual(points);
    expect(session.train).toBe(points.train);
  });

  it('a reset replaces the data, the run and the history; new settings go on with the same run', () => {
    const session = new PlaygroundSession(state);
    session.tick();
    const run = session.run, train = session.train;
    session.update({ ...state, learningRate: 0.1 });
    expect(session.run).toBe(run);
    session.reset({ ...state, dataSeed: 2 });
    expect(session.run).not.toBe(run);
    expect(session.train).not.toBe(train);
    expect(session.epoch).toBe(0);
    expect(session.history).toHaveLength(1);
  });
});
