// exercises/gradcheck.ts: check your own backward code against central differences of your forward code.
//
//   import { gradCheck } from '../gradcheck.js';
//   const report = gradCheck((p) => ({ loss: myLoss(p.W, p.x), grads: myBackward(p.W, p.x) }), { W, x });
//   console.log(report.pass, report.inputs);   // per input: max relative error and the worst entry
//
// f(inputs) returns the scalar loss and your gradient for every input (same names, same shapes).
// Each entry θ of each input is nudged by ±h and (L(θ+h) − L(θ−h)) / 2h is compared with your value:
// the error of an entry is |analytic − numeric| / max(1, |analytic| + |numeric|), O(h²) for smooth f.
// Keep inputs away from kinks (ReLU at 0, ties in a max-pool window): the derivative is not defined there.
import type { Nested } from './lib.js';

export interface GradCheckInput { maxError: number; worst: { at: number[]; analytic: number; numeric: number } | null }
export interface GradCheckReport { pass: boolean; tolerance: number; inputs: Record<string, GradCheckInput> }
export type GradFunction<I extends Record<string, Nested>> = (inputs: I) => { loss: number; grads: { [K in keyof I]?: Nested } };

/** Central differences of f's loss against f's own gradients, per input; pass when every max error ≤ tolerance. */
export function gradCheck<I extends Record<string, Nested>>(f: GradFunction<I>, inputs: I,
  { h = 1e-5, tolerance = 1e-4, only }: { h?: number; tolerance?: number; only?: (keyof I)[] } = {}): GradCheckReport {
  const work = structuredClone(inputs);
  const { grads } = f(structuredClone(work));
  const report: GradCheckReport = { pass: true, tolerance, inputs: {} };
  for (const name of (only ?? Object.keys(inputs)) as string[]) {
    const analyticAll = grads[name];
    if (analyticAll === undefined) throw new RangeError(`gradCheck: f returned no gradient for input "${name}"`);
    let maxError = 0, worst: GradCheckInput['worst'] = null;
    for (const at of indices(work[name])) {
      const original = get(work[name], at);
      set(work, name, at, original + h); const plus = f(structuredClone(work)).loss;
      set(work, name, at, original - h); const minus = f(structuredClone(work)).loss;
      set(work, name, at, original);
      const numeric = (plus - minus) / (2 * h);
      const analytic = get(analyticAll, at);
      const relative = Math.abs(analytic - numeric) / Math.max(1, Math.abs(analytic) + Math.abs(numeric));
      const error = typeof analytic === 'number' && Number.isFinite(relative) ? relative : Infinity; // NaN counts as wrong
      if (worst === null || error > maxError) { maxError = error; worst = { at, analytic, numeric }; }
    }
    report.inputs[name] = { maxError, worst };
    if (!(maxError <= tolerance)) report.pass = false;
  }
  return report;
}

function indices(x: Nested, prefix: number[] = []): number[][] {
  if (!Array.isArray(x)) return [prefix];
  return x.flatMap((item, i) => indices(item, [...prefix, i]));
}
function get(x: Nested | undefined, at: number[]): number {
  let level: unknown = x;
  for (const i of at) level = (level as ArrayLike<unknown> | undefined)?.[i];
  return level as number;
}
function set(root: Record<string, Nested>, name: string, at: number[], value: number): void {
  if (at.length === 0) { root[name] = value; return; }
  let level = root[name] as Nested[];
  for (const i of at.slice(0, -1)) level = level[i] as Nested[];
  level[at[at.length - 1]] = value;
}
