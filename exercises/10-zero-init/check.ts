import { Sequential, fit, trainTestSplit } from '../../core/index.js';
import { loadIris } from '../../core/node.js';
import { type Check, runCase, lcg } from '../lib.js';

/** Train the lab network from the learner's initial weights (biases 0) and return W1 after training. */
function trainedW1(init: (fanIn: number, fanOut: number) => number[][]): number[][] {
  const model = new Sequential({ inputShape: [4], layers: [{ type: 'dense', units: 10 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }, { type: 'sigmoid' }] });
  const [W1, b1, W2, b2] = model.params();
  W1.value.data.set(init(4, 10).flat()); W2.value.data.set(init(10, 3).flat()); b1.value.data.fill(0); b2.value.data.fill(0);
  fit(model, trainTestSplit(loadIris(), { seed: 1, stratify: true }).train, { epochs: 5, batchSize: 1, loss: 'mse', optimizer: { type: 'sgd', learningRate: 0.1 } });
  return Array.from({ length: 10 }, (_, j) => Array.from(W1.value.data.subarray(j * 4, j * 4 + 4)));
}

export const check: Check = {
  title: 'zero initialisation vs Glorot',
  run(impl) {
    const initWeights = impl.initWeights as (k: 'zeros' | 'glorot', i: number, o: number, r: () => number) => number[][];
    const identical = impl.hiddenUnitsIdentical as (W: number[][]) => boolean;
    const limit = Math.sqrt(6 / (4 + 10));
    return [
      runCase('zeros gives a 10×4 matrix of 0', 'zeros, fanIn 4, fanOut 10', () => initWeights('zeros', 4, 10, lcg(1)), Array.from({ length: 10 }, () => [0, 0, 0, 0])),
      runCase('glorot stays within ±sqrt(6/(fanIn+fanOut)) and spreads out', 'glorot, fanIn 4, fanOut 10', () => {
        const W = initWeights('glorot', 4, 10, lcg(2)).flat();
        return W.length === 40 && W.every((w) => Math.abs(w) <= limit) && Math.max(...W) > limit / 2 && Math.min(...W) < -limit / 2 ? 1 : 0;
      }, 1, [{ when: () => true, hint: `map random() ∈ [0,1) to [−limit, limit] with (2·random() − 1)·limit, limit = ${limit.toFixed(4)}; shape [fanOut][fanIn]` }]),
      runCase('hiddenUnitsIdentical tells equal rows from different ones', '[[1,2],[1,2]] and [[1,2],[1,3]]', () => [identical([[1, 2], [1, 2]]) ? 1 : 0, identical([[1, 2], [1, 3]]) ? 1 : 0], [1, 0]),
      runCase('after training from zeros the hidden units are still identical', 'Iris, 5 epochs of SGD', () => (identical(trainedW1((i, o) => initWeights('zeros', i, o, lcg(3)))) ? 1 : 0), 1),
      runCase('after training from Glorot they differ', 'Iris, 5 epochs of SGD', () => (identical(trainedW1((i, o) => initWeights('glorot', i, o, lcg(4)))) ? 1 : 0), 0,
        [{ when: () => true, hint: 'glorot weights must be random: every hidden unit needs its own starting point' }]),
    ];
  },
};
