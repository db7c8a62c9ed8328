import { type Check, type Case, runCase, propertyCase, lcg, randomNested, show, close, fmt } from '../lib.js';

/** Reference and the known mistakes, all on the same draws. */
function variant(x: number[], rate: number, training: boolean, random: () => number, kind: 'right' | 'noScale' | 'swapped' | 'evalScaled' | 'alwaysDrop' = 'right') {
  if (!training) return kind === 'evalScaled' ? x.map((v) => v * (1 - rate)) : x.slice();
  return x.map((v) => {
    const drop = kind === 'swapped' ? random() >= rate : random() < rate;
    return drop ? 0 : kind === 'noScale' || kind === 'evalScaled' ? v : v / (1 - rate);
  });
}

export const check: Check = {
  title: 'inverted dropout, training vs evaluation',
  exports: ['dropout'],
  hints: [
    'in evaluation (training false) return x unchanged (a copy): no drop and no scaling',
    'in training, for each value: if random() < rate it becomes 0, otherwise it is divided by (1 − rate)',
  ],
  cases(impl) {
    const dropout = impl.dropout as (x: number[], rate: number, training: boolean, random: () => number) => number[];
    const cases: Case[] = [];
    const x = randomNested(lcg(16), [12], -2, 2) as number[];
    for (const rate of [0.5, 0.2]) {
      const want = variant(x, rate, true, lcg(3));
      cases.push(runCase(`training, rate ${rate}`, `x ${show(x)}, random = the check's seeded generator`, () => dropout(x.slice(), rate, true, lcg(3)), want, [
        { when: (a) => close(a, variant(x, rate, true, lcg(3), 'noScale')), hint: 'the survivors are not scaled: inverted dropout divides them by (1 − rate), so the expected value stays x' },
        { when: (a) => close(a, variant(x, rate, true, lcg(3), 'swapped')), hint: 'rate is the fraction *dropped*: drop when random() < rate (you kept those)' },
        { when: (a) => close(a, x.map((v) => v / (1 - rate))) || close(a, x), hint: 'nothing was dropped: draw random() for each value and set it to 0 when random() < rate' },
      ]));
    }
    for (const rate of [0.5, 0.2]) {
      cases.push(runCase(`evaluation, rate ${rate}: the input comes back unchanged`, `x ${show(x)}, training false`, () => dropout(x.slice(), rate, false, lcg(3)), x.slice(), [
        { when: (a) => close(a, variant(x, rate, false, lcg(3), 'evalScaled')), hint: 'evaluation multiplies by (1 − rate): that is the non-inverted form; with inverted dropout evaluation returns x as it is' },
        { when: (a) => close(a, variant(x, rate, true, lcg(3))), hint: 'values were dropped in evaluation: when training is false, return x unchanged' },
        { when: (a) => close(a, x.map((v) => v / (1 - rate))), hint: 'evaluation scaled x by 1/(1 − rate): scaling belongs to training only' },
      ]));
    }
    cases.push(runCase('rate 0 in training changes nothing', `x ${show(x)}`, () => dropout(x.slice(), 0, true, lcg(4)), x.slice(), [
      { when: (a) => (a as number[]).some(Number.isNaN), hint: 'NaN: with rate 0 nothing is dropped and the scale is 1' }]));
    cases.push(propertyCase('20,000 ones at rate 0.3: about 30 % dropped, mean about 1', 'x = 1 × 20000, training', () => {
      const y = dropout(new Array(20000).fill(1), 0.3, true, lcg(5));
      const dropped = y.filter((v) => v === 0).length / y.length, mean = y.reduce((a, b) => a + b, 0) / y.length;
      const stats = `dropped ${(dropped * 100).toFixed(1)} %, mean ${fmt(mean)}`;
      if (Math.abs(dropped - 0.3) > 0.02) return { difference: stats, hint: Math.abs(dropped - 0.7) < 0.02 ? 'rate is the fraction dropped: you dropped 1 − rate' : 'each value is dropped with probability rate: drop when random() < rate' };
      if (Math.abs(mean - 1) > 0.03) return { difference: stats, hint: Math.abs(mean - 0.7) < 0.03 ? 'the mean fell to 1 − rate: scale the survivors by 1/(1 − rate)' : 'the survivors should be x / (1 − rate)' };
      return null;
    }));
    return cases;
  },
};
