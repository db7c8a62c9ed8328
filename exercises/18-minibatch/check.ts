import { type Check, type Case, runCase, show } from '../lib.js';
import { shipped } from '../marshal.js';

interface Sample { x: number[]; y: number }
// linear regression, loss ½(w·[x, 1] − y)², gradient (w·[x, 1] − y)·[x, 1]
export const gradient = shipped((w: number[], s: Sample) => { const f = [...s.x, 1]; const e = f.reduce((a, v, i) => a + v * w[i], 0) - s.y; return f.map((v) => e * v); }, import.meta.url, 'gradient');
const samples: Sample[] = Array.from({ length: 10 }, (_, n) => ({ x: [n / 3 - 1, ((n * 7) % 5) / 2], y: 2 * (n / 3 - 1) - ((n * 7) % 5) / 2 + 0.5 + ((n % 3) - 1) / 10 }));
const start = [0.1, -0.2, 0];

type Variant = 'right' | 'sum' | 'fullDivisor' | 'dropLast' | 'perSample';
function epoch(batchSize: number, lr: number, kind: Variant = 'right'): number[] {
  let w = start.slice();
  for (let s = 0; s < samples.length; s += batchSize) {
    const batch = samples.slice(s, s + batchSize);
    if (kind === 'dropLast' && batch.length < batchSize) break;
    if (kind === 'perSample') { for (const sample of batch) { const g = gradient(w, sample); w = w.map((wi, i) => wi - lr * g[i] / batch.length); } continue; }
    const sum = w.map(() => 0);
    for (const sample of batch) gradient(w, sample).forEach((g, i) => { sum[i] += g; });
    const divisor = kind === 'sum' ? 1 : kind === 'fullDivisor' ? batchSize : batch.length;
    w = w.map((wi, i) => wi - lr * sum[i] / divisor);
  }
  return w;
}

export const check: Check = {
  title: 'mini-batch gradient averaging',
  exports: ['trainEpoch'],
  hints: [
    'loop start = 0, batchSize, 2·batchSize, …; the batch is samples.slice(start, start + batchSize)',
    'add up gradient(w, sample) over the batch with w fixed, divide by the batch\'s own length, then update w once',
  ],
  cases(impl) {
    const trainEpoch = impl.trainEpoch as (w: number[], s: Sample[], b: number, lr: number, g: typeof gradient) => number[];
    const cases: Case[] = [];
    for (const batchSize of [1, 3, 4, 10]) {
      const lr = 0.1, want = epoch(batchSize, lr);
      const differs = (kind: Variant) => JSON.stringify(epoch(batchSize, lr, kind)) !== JSON.stringify(want);
      const is = (kind: Variant) => (a: unknown) => differs(kind) && Array.isArray(a) && a.every((v, i) => Math.abs(v - epoch(batchSize, lr, kind)[i]) < 1e-9);
      cases.push(runCase(`batch size ${batchSize} (10 samples: ${Array.from({ length: Math.ceil(10 / batchSize) }, (_, k) => Math.min(batchSize, 10 - k * batchSize)).join(' + ')})`,
        `w₀ ${show(start)}, learning rate ${lr}, linear regression on 10 samples`, () => trainEpoch(start.slice(), structuredClone(samples), batchSize, lr, gradient), want, [
          { when: is('sum'), hint: 'the gradients are summed, not averaged: divide the batch\'s sum by its number of samples' },
          { when: is('fullDivisor'), hint: 'the last, smaller batch is divided by batchSize: divide by the number of samples actually in the batch' },
          { when: is('dropLast'), hint: 'the last, smaller batch is skipped: every sample must be used once per epoch' },
          { when: is('perSample'), hint: 'w changes inside the batch: take every gradient of a batch at the same w, and update once per batch' },
        ], 1e-9));
    }
    return cases;
  },
};
