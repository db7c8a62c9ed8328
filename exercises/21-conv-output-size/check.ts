import { conv3d, zeros } from '../../core/index.js';
import { type Check, type Case, runCase } from '../lib.js';

type Padding = number | 'valid' | 'same';
/** The size convlab's conv3d really produces along the height. */
const actual = (n: number, k: number, s: number, padding: Padding) => conv3d(zeros([1, n, 3]), zeros([1, 1, k, 1]), { stride: [s, 1], padding: padding === 'same' || padding === 'valid' ? padding : [padding, 0] }).shape[1];
/** TensorFlow's 'same' rule (DESIGN.md), which conv3d follows. */
const tfPad = (n: number, k: number, s: number): [number, number] => { const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0); return [Math.floor(total / 2), total - Math.floor(total / 2)]; };

export const check: Check = {
  title: 'conv output-size arithmetic',
  exports: ['outputSize', 'samePadding', 'convParameters'],
  hints: [
    'numbers: floor((n + 2·p − k)/s) + 1 — p on each side, floor for a partial window, +1 for the first position',
    "'same' gives ceil(n/s) whatever k; 'valid' is p = 0",
    'parameters: every kernel has C·kh·kw weights and one bias',
  ],
  cases(impl) {
    const outputSize = impl.outputSize as (n: number, k: number, s: number, p: Padding) => number;
    const samePadding = impl.samePadding as (n: number, k: number, s: number) => [number, number];
    const convParameters = impl.convParameters as (C: number, K: number, kh: number, kw: number) => number;
    const cases: Case[] = [];
    const sizes: [number, number, number, Padding][] = [[28, 5, 1, 'valid'], [12, 5, 1, 0], [28, 5, 1, 2], [7, 3, 2, 0], [8, 3, 2, 1], [10, 4, 3, 0], [28, 5, 1, 'same'], [28, 5, 2, 'same'], [7, 2, 2, 'same'], [28, 4, 1, 'same'], [5, 5, 1, 'valid']];
    for (const [n, k, s, p] of sizes) {
      const want = actual(n, k, s, p), pn = p === 'valid' ? 0 : p === 'same' ? 0 : p;
      cases.push(runCase(`n ${n}, kernel ${k}, stride ${s}, padding ${JSON.stringify(p)}`, '', () => outputSize(n, k, s, p), want, [
        { when: (a) => p !== 'same' && a === Math.floor((n + 2 * pn - k) / s), hint: 'one short: add 1 for the first window position, floor((n + 2p − k)/s) + 1' },
        { when: (a) => p !== 'same' && typeof a === 'number' && !Number.isInteger(a), hint: 'not a whole number: floor the division (a window that would run past the edge is dropped)' },
        { when: (a) => p !== 'same' && a === Math.floor((n + pn - k) / s) + 1, hint: 'the padding counts on both sides: n + 2p' },
        { when: (a) => p !== 'same' && s > 1 && a === n + 2 * pn - k + 1, hint: 'the stride is ignored: divide (n + 2p − k) by s' },
        { when: (a) => p === 'same' && a === n, hint: "'same' keeps n only with stride 1: it gives ceil(n/s)" },
        { when: (a) => p === 'same' && a === Math.floor(n / s), hint: "'same' rounds up: ceil(n/s)" },
        { when: (a) => p === 'same' && k % 2 === 0 && a === Math.floor((n + 2 * Math.floor(k / 2) - k) / s) + 1, hint: "'same' is not ⌊k/2⌋ on each side: with an even kernel that pads one too many. 'same' gives ceil(n/s) outputs whatever k" },
      ]));
    }
    for (const [n, k, s] of [[28, 5, 1], [28, 4, 1], [7, 3, 2], [8, 3, 2], [5, 1, 1], [8, 1, 3]] as const) {
      const want = tfPad(n, k, s);
      cases.push(runCase(`samePadding(n ${n}, kernel ${k}, stride ${s})`, '', () => samePadding(n, k, s), want, [
        { when: (a) => Array.isArray(a) && a[0] === want[1] && a[1] === want[0] && want[0] !== want[1], hint: 'the odd pixel goes after (bottom/right): before = floor(total/2)' },
        { when: (a) => Array.isArray(a) && a[0] + a[1] === k - 1 && k - 1 !== want[0] + want[1], hint: 'k − 1 in total is right for stride 1 only: total = max((ceil(n/s) − 1)·s + k − n, 0)' },
        { when: (a) => Array.isArray(a) && (a[0] < 0 || a[1] < 0), hint: 'padding cannot be negative: when the stride skips past the edge the total is negative, take max(…, 0)' },
        { when: (a) => Array.isArray(a) && a[0] === Math.floor(k / 2) && a[1] === Math.floor(k / 2), hint: '⌊k/2⌋ on each side is the rule for an odd kernel at stride 1 only: total = max((ceil(n/s) − 1)·s + k − n, 0), before = floor(total/2), after = the rest' },
      ]));
    }
    const layers: [string, number, number, number, number][] = [['the digit CNN\'s first conv: 1 → 8, 5×5', 1, 8, 5, 5], ['its second conv: 8 → 16, 5×5', 8, 16, 5, 5], ['RGB, 16 kernels 3×3', 3, 16, 3, 3], ['a 1×3 kernel, 4 → 2', 4, 2, 1, 3]];
    for (const [name, C, K, kh, kw] of layers) {
      cases.push(runCase(`parameters, ${name}`, `C ${C}, K ${K}, ${kh}×${kw}`, () => convParameters(C, K, kh, kw), K * (C * kh * kw + 1), [
        { when: (a) => a === K * C * kh * kw, hint: 'the biases are missing: one per kernel, K·(C·kh·kw + 1)' },
        { when: (a) => C > 1 && a === K * (kh * kw + 1), hint: 'every kernel spans all C input channels: C·kh·kw weights each' },
      ]));
    }
    return cases;
  },
};
