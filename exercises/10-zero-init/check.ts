import { Sequential, fit, trainTestSplit } from '../../core/index.js';
import { loadIris } from '../../core/node.js';
import { type Check, runCase, propertyCase, lcg, shapeOf, fmt } from '../lib.js';

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
  exports: ['initWeights', 'hiddenUnitsIdentical'],
  hints: [
    'the matrix has fanOut rows of fanIn values each (the dense layer computes W·x)',
    'Glorot uniform: limit = sqrt(6/(fanIn + fanOut)); each weight is (2·random() − 1)·limit, uniform in [−limit, limit)',
    'hiddenUnitsIdentical: compare every row with the first one, value by value',
  ],
  cases(impl) {
    const initWeights = impl.initWeights as (k: 'zeros' | 'glorot', i: number, o: number, r: () => number) => number[][];
    const identical = impl.hiddenUnitsIdentical as (W: number[][]) => boolean;
    const fanIn = 300, fanOut = 200, limit = Math.sqrt(6 / (fanIn + fanOut));
    return [
      runCase('zeros gives a 10×4 matrix of 0', 'zeros, fanIn 4, fanOut 10', () => initWeights('zeros', 4, 10, lcg(1)), Array.from({ length: 10 }, () => [0, 0, 0, 0]), [
        { when: (a) => shapeOf(a).join() === '4,10', hint: 'the matrix is transposed: fanOut rows (one per unit) of fanIn weights' }]),
      propertyCase(`glorot: bound and variance of a ${fanOut}×${fanIn} matrix`, `glorot, fanIn ${fanIn}, fanOut ${fanOut}: limit sqrt(6/500) = ${fmt(limit)}, variance limit²/3 = ${fmt(limit * limit / 3)}`, () => {
        const M = initWeights('glorot', fanIn, fanOut, lcg(2));
        if (shapeOf(M).join() !== `${fanOut},${fanIn}`) return { difference: `shape ${shapeOf(M).join('×')}, expected ${fanOut}×${fanIn}`, hint: shapeOf(M).join() === `${fanIn},${fanOut}` ? 'the matrix is transposed: fanOut rows of fanIn weights' : 'shape [fanOut][fanIn]' };
        const W = M.flat(), n = W.length;
        const max = W.reduce((m, w) => Math.max(m, Math.abs(w)), 0), mean = W.reduce((a, b) => a + b, 0) / n;
        const variance = W.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
        const stats = `max |w| ${fmt(max)}, mean ${fmt(mean)}, variance ${fmt(variance)}`;
        const near = (bound: number) => max <= bound * 1.0001 && max > bound * 0.98;
        if (new Set(W).size < n / 2) return { difference: stats, hint: 'the weights repeat: draw a fresh random() for every weight' };
        if (near(Math.sqrt(2 / (fanIn + fanOut)))) return { difference: stats, hint: 'the bound is sqrt(2/(fanIn+fanOut)): that is the standard deviation of Glorot *normal*; the uniform limit is sqrt(6/(fanIn+fanOut))' };
        if (near(Math.sqrt(6 / (fanIn * fanOut)))) return { difference: stats, hint: 'the bound is sqrt(6/(fanIn·fanOut)): add the fans, do not multiply them' };
        if (near(Math.sqrt(6 / fanIn))) return { difference: stats, hint: 'the bound is sqrt(6/fanIn) (He uniform): Glorot uses fanIn + fanOut' };
        if (W.every((w) => w >= 0)) return { difference: stats, hint: 'every weight is ≥ 0: map random() ∈ [0,1) to [−limit, limit) with (2·random() − 1)·limit' };
        if (!near(limit)) return { difference: `${stats}; expected max |w| just under ${fmt(limit)}`, hint: `the weights should fill [−limit, limit], limit = sqrt(6/(fanIn+fanOut)) = ${fmt(limit)}` };
        if (Math.abs(variance / (limit * limit / 3) - 1) > 0.03 || Math.abs(mean) > 0.05 * limit) return { difference: `${stats}; expected mean ≈ 0, variance ≈ ${fmt(limit * limit / 3)}`, hint: 'the bound is right but the values are not spread uniformly over [−limit, limit]: use (2·random() − 1)·limit' };
        return null;
      }),
      runCase('hiddenUnitsIdentical tells equal rows from different ones', '[[1,2],[1,2]], [[1,2],[1,3]], [[1,2],[3,2]], [[5,6]]',
        () => [identical([[1, 2], [1, 2]]), identical([[1, 2], [1, 3]]), identical([[1, 2], [3, 2]]), identical([[5, 6]])].map((v) => (v ? 1 : 0)), [1, 0, 0, 1],
        [{ when: (a) => (a as number[])[1] === 1 || (a as number[])[2] === 1, hint: 'rows that differ were called identical: compare every value of every row with the first row' },
         { when: (a) => (a as number[])[0] === 0 || (a as number[])[3] === 0, hint: 'equal rows (or a single row) were called different: true when every row equals the first' }]),
      runCase('after training from zeros the hidden units are still identical', 'Iris, 5 epochs of SGD', () => (identical(trainedW1((i, o) => initWeights('zeros', i, o, lcg(3)))) ? 1 : 0), 1),
      runCase('after training from Glorot they differ', 'Iris, 5 epochs of SGD', () => (identical(trainedW1((i, o) => initWeights('glorot', i, o, lcg(4)))) ? 1 : 0), 0,
        [{ when: (a) => a === 1, hint: 'glorot weights must be random: every hidden unit needs its own starting point' }]),
    ];
  },
};
