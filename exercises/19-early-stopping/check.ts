import { type Check, runCase, close } from '../lib.js';

type Rule = { previous?: boolean; strictWait?: boolean; noDelta?: boolean; lastAsBest?: boolean };
function rule(losses: number[], patience: number, minDelta: number, r: Rule = {}) {
  let best = Infinity, previous = Infinity, bestEpoch = 0, wait = 0;
  for (let e = 0; e < losses.length; e++) {
    const reference = r.previous ? previous : best;
    if (losses[e] < reference - (r.noDelta ? 0 : minDelta)) { wait = 0; } else wait++;
    if (losses[e] < best - (r.noDelta ? 0 : minDelta)) { best = losses[e]; bestEpoch = e; }
    previous = losses[e];
    if (r.strictWait ? wait > patience : wait >= patience) return { stopEpoch: e, bestEpoch: r.lastAsBest ? e : bestEpoch };
  }
  return { stopEpoch: losses.length - 1, bestEpoch: r.lastAsBest ? losses.length - 1 : bestEpoch };
}
const asPair = (o: { stopEpoch: number; bestEpoch: number }) => [o.stopEpoch, o.bestEpoch];

export const check: Check = {
  title: 'early stopping with patience',
  exports: ['earlyStopping'],
  hints: [
    'keep three things: the best loss so far, its epoch, and how many epochs since it improved (wait)',
    'an epoch improves only if its loss < best − minDelta; then wait = 0, else wait + 1; stop as soon as wait ≥ patience',
  ],
  cases(impl) {
    const earlyStopping = impl.earlyStopping as (l: number[], p: number, d?: number) => { stopEpoch: number; bestEpoch: number };
    const list: [string, number[], number, number][] = [
      ['a dip that stays above the best (the README\'s question 1)', [1.0, 0.8, 0.9, 0.85, 0.86, 0.87, 0.7], 3, 0],
      ['steady improvement: never stops', [1, 0.9, 0.8, 0.7, 0.6, 0.5], 2, 0],
      ['patience 1 stops at the first non-improvement', [0.5, 0.4, 0.45, 0.3, 0.2], 1, 0],
      ['improvements smaller than minDelta 0.01 do not count', [1.0, 0.7, 0.695, 0.692, 0.6905, 0.689, 0.5], 3, 0.01],
      ['a typical over-fitting curve', [2.3, 1.2, 0.8, 0.62, 0.55, 0.53, 0.54, 0.56, 0.52, 0.6, 0.65, 0.7, 0.8, 0.9], 4, 0],
    ];
    return list.map(([name, losses, patience, minDelta]) => {
      const want = asPair(rule(losses, patience, minDelta));
      const like = (r: Rule) => (a: unknown) => JSON.stringify(asPair(rule(losses, patience, minDelta, r))) !== JSON.stringify(want) && close(a, asPair(rule(losses, patience, minDelta, r)));
      return runCase(name, `losses ${JSON.stringify(losses)}, patience ${patience}, minDelta ${minDelta} → [stopEpoch, bestEpoch]`, () => asPair(earlyStopping(losses.slice(), patience, minDelta)), want, [
        { when: like({ previous: true }), hint: 'compared with the previous epoch: an epoch improves only if it beats the best loss so far' },
        { when: like({ noDelta: true }), hint: 'minDelta is ignored: an improvement must beat best − minDelta' },
        { when: like({ strictWait: true }), hint: 'one epoch too late: stop as soon as wait ≥ patience (patience 3 = three epochs without improvement)' },
        { when: like({ lastAsBest: true }), hint: 'bestEpoch is the last epoch: keep the epoch of the lowest loss, whose weights are restored' },
        { when: (a) => Array.isArray(a) && a[0] === patience, hint: 'stopEpoch is the epoch at which wait reaches patience, counted from the last improvement, not from the start' },
      ], 0);
    });
  },
};
