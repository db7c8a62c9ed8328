import { type Check, type Case, runCase, propertyCase, lcg, randomNested, show, close, shapeOf, compare } from '../lib.js';

type Layers = { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
const affine = (W: number[][], x: number[], b: number[]) => W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b[o]));
const product = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * B[k][j], 0)));
function layers(seed: number, inputs: number, hidden: number, outputs: number): Layers {
  const r = lcg(seed);
  return { W1: randomNested(r, [hidden, inputs]) as number[][], b1: randomNested(r, [hidden]) as number[], W2: randomNested(r, [outputs, hidden]) as number[][], b2: randomNested(r, [outputs]) as number[] };
}

export const check: Check = {
  title: 'two linear layers collapse into one',
  exports: ['collapse', 'twoLayers'],
  hints: [
    'substitute: W2(W1 x + b1) + b2 = (W2 W1) x + (W2 b1 + b2)',
    'W[o][i] = Σ_h W2[o][h]·W1[h][i] (W2 on the left), and b[o] = b2[o] + Σ_h W2[o][h]·b1[h]',
  ],
  cases(impl) {
    const collapse = impl.collapse as (W1: number[][], b1: number[], W2: number[][], b2: number[]) => { W: number[][]; b: number[] };
    const twoLayers = impl.twoLayers as (x: number[], W1: number[][], b1: number[], W2: number[][], b2: number[]) => number[];
    const cases: Case[] = [];
    for (const [seed, i, h, o] of [[1, 4, 10, 3], [2, 2, 5, 1], [3, 3, 3, 3]]) {
      const p = layers(seed, i, h, o), call = () => collapse(structuredClone(p.W1), p.b1.slice(), structuredClone(p.W2), p.b2.slice());
      const W = product(p.W2, p.W1), b = affine(p.W2, p.b1, p.b2);
      const describe = `${i}-${h}-${o}: W1 [${h}×${i}], W2 [${o}×${h}]`;
      cases.push(runCase(`W = W2·W1 for ${i}-${h}-${o}`, describe, () => call().W, W, [
        { when: (a) => h === i && h === o && close(a, product(p.W1, p.W2)), hint: 'W1·W2 is the wrong order: the layer applied first stands on the right, W = W2·W1' },
        { when: (a) => shapeOf(a).join() !== `${o},${i}`, hint: `W must be [out][in] = [${o}][${i}]: W = W2·W1, the layer applied first on the right` },
      ], 1e-9));
      cases.push(runCase(`b = W2·b1 + b2 for ${i}-${h}-${o}`, describe, () => call().b, b, [
        { when: (a) => close(a, p.b2), hint: 'b = b2 forgets that b1 passes through W2 too: b = W2·b1 + b2' },
        { when: (a) => h === o && close(a, p.b1.map((v, k) => v + p.b2[k])), hint: 'b1 + b2 forgets that b1 passes through W2: b = W2·b1 + b2' },
      ], 1e-9));
      const x = Array.from({ length: i }, (_, k) => k - 1), y = affine(p.W2, affine(p.W1, x, p.b1), p.b2);
      cases.push(runCase(`twoLayers for ${i}-${h}-${o}`, `x ${show(x)}, ${describe}`, () => twoLayers(x.slice(), p.W1, p.b1, p.W2, p.b2), y, [
        { when: (a) => close(a, y.map((v, k) => v - p.b2[k])), hint: 'the second bias b2 is missing: y = W2·h + b2' },
        { when: (a) => close(a, affine(p.W2, affine(p.W1, x, p.b1.map(() => 0)), p.b2)), hint: 'the first bias b1 is missing: h = W1·x + b1' },
      ], 1e-9));
    }
    cases.push(propertyCase('numerically one layer: your twoLayers(x) equals W x + b from your collapse for 100 random x', '4-10-3, x uniform in [−5, 5]⁴', () => {
      const p = layers(7, 4, 10, 3), { W, b } = collapse(p.W1, p.b1, p.W2, p.b2), random = lcg(8);
      for (let n = 0; n < 100; n++) {
        const x = Array.from({ length: 4 }, () => -5 + 10 * random());
        const a = twoLayers(x, p.W1, p.b1, p.W2, p.b2), c = affine(W, x, b);
        const d = compare(a, c, 1e-9);
        if (d) return { difference: `x = ${show(x)}: twoLayers ${show(a)} but W x + b ${show(c)} (${d})`, hint: 'the collapsed layer and the two layers disagree: check W = W2·W1 and b = W2·b1 + b2 against twoLayers' };
      }
      return null;
    }));
    cases.push(propertyCase('with a ReLU in between the collapse no longer holds', '4-10-3 with ReLU on the hidden layer, 100 random x', () => {
      const p = layers(9, 4, 10, 3), { W, b } = collapse(structuredClone(p.W1), p.b1.slice(), structuredClone(p.W2), p.b2.slice()), random = lcg(10);
      // the point is made only by a right collapse: any wrong W, b would "not reproduce" the ReLU network too
      const wrong = compare(W, product(p.W2, p.W1), 1e-9) ?? compare(b, affine(p.W2, p.b1, p.b2), 1e-9);
      if (wrong) return { difference: `your collapse of this 4-10-3 network is not W2·W1, W2·b1 + b2 (${wrong})`, hint: 'fix collapse first (see the cases above): this case shows that even the right W, b cannot stand in for a ReLU network' };
      for (let n = 0; n < 100; n++) {
        const x = Array.from({ length: 4 }, () => -5 + 10 * random());
        const withRelu = affine(p.W2, affine(p.W1, x, p.b1).map((v) => Math.max(v, 0)), p.b2);
        if (!close(withRelu, affine(W, x, b), 1e-6)) return null;
      }
      return { difference: 'the right W, b reproduced the ReLU network on 100 random inputs: every hidden unit stayed positive (the checker\'s data is to blame, not your code)' };
    }));
    return cases;
  },
};
