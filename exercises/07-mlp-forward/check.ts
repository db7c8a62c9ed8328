import { tensor, dense, sigmoid, toArray } from '../../core/index.js';
import { type Check, runCase, lcg, randomNested, show, close, type Case } from '../lib.js';

export function randomParams(seed: number, inputs = 4, hidden = 10, outputs = 3) {
  const random = lcg(seed);
  return { W1: randomNested(random, [hidden, inputs]) as number[][], b1: randomNested(random, [hidden]) as number[],
    W2: randomNested(random, [outputs, hidden]) as number[][], b2: randomNested(random, [outputs]) as number[] };
}

/** The forward pass from convlab's ops. */
export function referenceForward(x: number[], p: ReturnType<typeof randomParams>) {
  const z1 = dense(tensor(x), tensor(p.W1), tensor(p.b1)), h = sigmoid(z1);
  const z2 = dense(h, tensor(p.W2), tensor(p.b2));
  return { z1: toArray(z1) as number[], h: toArray(h) as number[], z2: toArray(z2) as number[], yHat: toArray(sigmoid(z2)) as number[] };
}

export const check: Check = {
  title: 'MLP forward pass (4-10-3, sigmoid)',
  exports: ['mlpForward'],
  hints: [
    'one helper affine(W, x, b) = W.map((row, o) => b[o] + Σ_i row[i]·x[i]) serves both layers',
    'z1 = affine(W1, x, b1); h = z1.map(σ); z2 = affine(W2, h, b2); ŷ = z2.map(σ), with σ(z) = 1/(1 + e^(−z))',
  ],
  cases(impl) {
    const mlpForward = impl.mlpForward as (x: number[], p: ReturnType<typeof randomParams>) => Record<string, number[]>;
    return [1, 2, 3].flatMap((seed): Case[] => {
      const p = randomParams(seed), x = [5.1, 3.5, 1.4, 0.2].map((v) => v + seed / 10);
      const want = referenceForward(x, p);
      let memo: { got?: Record<string, number[]>; error?: unknown } | undefined;
      const call = () => { memo ??= (() => { try { return { got: mlpForward(x.slice(), structuredClone(p)) }; } catch (error) { return { error }; } })(); if (memo.error) throw memo.error; return memo.got; };
      return (['z1', 'h', 'z2', 'yHat'] as const).map((key) => runCase(`flower ${seed}: ${key}`, `x ${show(x)}`, () => call()?.[key], want[key], [
        { when: (a) => key === 'yHat' && close(a, want.z2), hint: 'ŷ is σ(z2): the output layer has a sigmoid too' },
        { when: (a) => key === 'z1' && close(a, p.W1.map((row) => row.reduce((s, w, i) => s + w * x[i], 0))), hint: 'the bias is missing: z1 = W1·x + b1' },
        { when: (a) => key === 'z2' && close(a, p.W2.map((row) => row.reduce((s, w, i) => s + w * want.h[i], 0))), hint: 'the bias b2 is missing: z2 = W2·h + b2' },
        { when: (a) => key === 'z2' && close(a, p.W2.map((row, o) => row.reduce((s, w, i) => s + w * want.z1[i], p.b2[o]))), hint: 'z2 must use h = σ(z1), not z1' },
        { when: (a) => (key === 'h' || key === 'yHat') && close(a, (key === 'h' ? want.z1 : want.z2).map((z) => 1 / (1 + Math.exp(z)))), hint: 'σ(z) = 1/(1 + e^(−z)): the sign of the exponent is flipped' },
      ]));
    });
  },
};
