import { type Check, type Case, runCase, propertyCase, close, show, fmt, sameJSON } from '../lib.js';
import { shipped } from '../marshal.js';

type Scalar = (x: number[]) => number;
// f(x) = Σ x_i³ + x0·x1 + sin(x2): curved enough that a forward difference is visibly off
export const f: Scalar = shipped((x) => x.reduce((s, v) => s + v ** 3, 0) + x[0] * x[1] + Math.sin(x[2]), import.meta.url, 'f');
const exact = (x: number[]) => [3 * x[0] ** 2 + x[1], 3 * x[1] ** 2 + x[0], 3 * x[2] ** 2 + Math.cos(x[2])];
const x0 = [1, 2, -1];
function differences(x: number[], h: number, kind: 'central' | 'forward' | 'byH' | 'noRestore') {
  const w = x.slice();
  return x.map((xi, i) => {
    if (kind === 'forward') { const base = f(w); w[i] = xi + h; const p = f(w); w[i] = xi; return (p - base) / h; }
    w[i] = xi + h; const p = f(w); w[i] = xi - h; const m = f(w);
    if (kind !== 'noRestore') w[i] = xi;
    return (p - m) / (kind === 'byH' ? h : 2 * h);
  });
}
const central = (fn: Scalar, x: number[], h: number) => x.map((_, i) => {
  const w = x.slice(); w[i] = x[i] + h; const p = fn(w); w[i] = x[i] - h; return (p - fn(w)) / (2 * h);
});
// a two-layer sigmoid model's loss, with its right gradient and two wrong ones
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
export const loss: Scalar = shipped((w) => (sigmoid(w[0] * 0.5 + w[1]) * w[2] - 0.3) ** 2, import.meta.url, 'loss');
export const right = shipped((w: number[]) => { const s = sigmoid(w[0] * 0.5 + w[1]), e = 2 * (s * w[2] - 0.3), ds = e * w[2] * s * (1 - s); return [ds * 0.5, ds, e * s]; }, import.meta.url, 'right');
export const noDerivative = shipped((w: number[]) => { const s = sigmoid(w[0] * 0.5 + w[1]), e = 2 * (s * w[2] - 0.3); return [e * w[2] * 0.5, e * w[2], e * s]; }, import.meta.url, 'noDerivative');
export const halfFactor = shipped((w: number[]) => right(w).map((g) => g / 2), import.meta.url, 'halfFactor');

export const check: Check = {
  title: 'finite-difference gradient checking',
  exports: ['numericGradient', 'maxRelativeError', 'checkGradient'],
  hints: [
    'work on a copy of x: for each i set copy[i] = x[i] + h, evaluate, set x[i] − h, evaluate, then put x[i] back',
    'divide the difference by 2h (the two points are 2h apart)',
    'relative error of one entry: |a − b| / max(|a|, |b|); return the largest over all entries',
  ],
  cases(impl) {
    const numericGradient = impl.numericGradient as (f: Scalar, x: number[], h?: number) => number[];
    const maxRelativeError = impl.maxRelativeError as (a: number[], b: number[]) => number;
    const checkGradient = impl.checkGradient as (f: Scalar, g: (x: number[]) => number[], x: number[], h?: number) => number;
    const cases: Case[] = [];
    for (const h of [1e-3, 1e-5]) {
      cases.push(runCase(`numericGradient of Σx³ + x0·x1 + sin x2, h = ${h}`, `x ${show(x0)}`, () => numericGradient(f, x0.slice(), h), exact(x0), [
        { when: (a) => close(a, differences(x0, h, 'forward'), 1e-9), hint: 'that is the forward difference (f(x+h) − f(x))/h, error O(h): use the central difference (f(x+h) − f(x−h))/2h' },
        { when: (a) => close(a, differences(x0, h, 'byH'), 1e-6), hint: 'twice the gradient: the two points x ± h are 2h apart, divide by 2h' },
        { when: (a) => close(a, differences(x0, h, 'noRestore'), 1e-9), hint: 'x[i] is not put back: after nudging coordinate i, restore it before the next one' },
      ], h === 1e-3 ? 1e-5 : 1e-7));
    }
    cases.push(propertyCase('numericGradient leaves the caller\'s x unchanged', `x ${show(x0)}`, () => {
      const x = x0.slice(); numericGradient(f, x, 1e-4);
      return sameJSON(x, x0) ? null : { difference: `x became ${show(x)}`, hint: 'the caller\'s x was changed: nudge a copy (x.slice()), or restore each entry exactly' };
    }));
    const pairs: [string, number[], number[], number][] = [
      ['one entry 10 % off', [1, 2, 3], [1.1, 2, 3], 0.1 / 1.1], ['large gradients, small relative error', [1000, -2000], [1000.1, -2000], 0.1 / 1000.1],
      ['both zero counts 0', [0, 1], [0, 1], 0], ['tiny gradients, large relative error', [1e-6, 0], [2e-6, 0], 0.5],
      // |a| > |b| and a below b: the two cases a one-sided or signed error gets wrong
      ['the first gradient larger', [4, 1], [2, 1], 0.5], ['a negative entry below the other', [-3, 1], [-1.5, 1], 0.5],
    ];
    const signed = (a: number[], b: number[]) => Math.max(...a.map((ai, i) => (ai - b[i]) / (Math.max(Math.abs(ai), Math.abs(b[i])) || 1)));
    const byB = (a: number[], b: number[]) => Math.max(...a.map((ai, i) => Math.abs(ai - b[i]) / Math.abs(b[i] || 1)));
    const byA = (a: number[], b: number[]) => Math.max(...a.map((ai, i) => Math.abs(ai - b[i]) / Math.abs(ai || 1)));
    for (const [name, a, b, want] of pairs) {
      cases.push(runCase(`maxRelativeError, ${name}`, `${show(a)} vs ${show(b)}`, () => maxRelativeError(a.slice(), b.slice()), want, [
        { when: (v) => close(v, Math.max(...a.map((ai, i) => Math.abs(ai - b[i]))), 1e-9), hint: 'that is the absolute error: divide each |a − b| by max(|a|, |b|)' },
        { when: (v) => Number.isNaN(v), hint: 'NaN: 0/0 when both entries are 0; count that entry as 0' },
        { when: (v) => close(v, byB(a, b), 1e-9) || close(v, byA(a, b), 1e-9), hint: 'divided by one of the two only: use max(|a|, |b|) so the error is symmetric (here |a| > |b|)' },
        { when: (v) => close(v, signed(a, b), 1e-9), hint: 'the error has a sign: take the absolute value |a − b| before dividing, so an entry below the other counts too' },
      ], 1e-6));
    }
    const w = [0.4, -0.3, 1.5];
    cases.push(propertyCase('checkGradient passes a right gradient (error < 1e-6)', `a sigmoid model, w ${show(w)}`, () => {
      const e = checkGradient(loss, right, w.slice());
      return e < 1e-6 ? null : { difference: `error ${fmt(e)} for a right gradient`, hint: 'a right gradient should give < 1e-6: check numericGradient and maxRelativeError above' };
    }));
    for (const [name, wrong] of [['σ\'(z) forgotten', noDerivative], ['half the gradient', halfFactor]] as const) {
      cases.push(propertyCase(`checkGradient catches a wrong gradient: ${name} (error > 0.01)`, `a sigmoid model, w ${show(w)}`, () => {
        const e = checkGradient(loss, wrong, w.slice());
        if (e > 0.01) return null;
        // blame the part that is wrong: the student's own maxRelativeError on these two gradients, or checkGradient
        const analytic = wrong(w), numeric = central(loss, w, 1e-5);
        const truth = Math.max(...analytic.map((ai, i) => Math.abs(ai - numeric[i]) / Math.max(Math.abs(ai), Math.abs(numeric[i]))));
        let theirs: number | undefined; try { theirs = maxRelativeError(analytic, numeric); } catch { theirs = undefined; }
        const hint = theirs !== undefined && !close(theirs, truth, 1e-3)
          ? `your maxRelativeError gives ${fmt(theirs)} on this gradient against its finite differences, the right value is ${fmt(truth)}: fix maxRelativeError (see its cases above), checkGradient itself may be right`
          : 'checkGradient must compare the analytic gradient(x) with numericGradient(f, x, h)';
        return { difference: `error ${fmt(e)} for a wrong gradient`, hint };
      }));
    }
    return cases;
  },
};
