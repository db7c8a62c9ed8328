// exercises/lib.ts: what every check shares — lazy cases, comparison that names the first difference,
// hints that fire only when the wrong answer matches a known mistake, seeded random cases.
import { shipped } from './marshal.js';

export type Nested = number | Nested[];
export type Impl = Record<string, unknown>;

export interface CaseResult {
  name: string; pass: boolean; input?: string; expected?: string; actual?: string;
  /** Where the values first differ, or why the shapes or types disagree. */
  difference?: string; hint?: string; error?: string;
  /** file:line in the learner's code where a thrown error came from. */
  where?: string; ms?: number;
}
/** A case runs only when asked, so a runner can time each one and skip past one that hangs. */
export interface Case { name: string; run(): CaseResult | Promise<CaseResult> }
export interface Check {
  title: string;
  /** The functions (or constants) the learner's file must export. */
  exports: string[];
  /** Hints revealed one at a time by `--hint`, from a nudge to nearly the answer. */
  hints: string[];
  cases(impl: Impl): Case[];
}
export interface Hint { when: (actual: unknown) => boolean; hint: string }

/** Typed arrays become plain arrays (at any depth); everything else is left as it is. */
export function plain(x: unknown): unknown {
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) return x.map(plain);
  return x;
}
export const flat = (x: unknown): number[] => {
  const p = plain(x);
  return Array.isArray(p) ? (p as unknown[]).flat(Infinity) as number[] : typeof p === 'number' ? [p] : [];
};
export function shapeOf(x: unknown): number[] {
  const shape: number[] = [];
  let level = plain(x);
  while (Array.isArray(level)) { shape.push(level.length); level = level[0]; }
  return shape;
}
/** A type name a learner recognises: number[][], Float64Array, undefined, object … */
export function describeType(x: unknown): string {
  if (ArrayBuffer.isView(x)) return (x as object).constructor.name;
  if (Array.isArray(x)) {
    return `${x.length ? describeType(x[0]) : 'number'}[]`;
  }
  return x === null ? 'null' : typeof x;
}

/** Short printing: shape and the first values. */
export function show(x: unknown, max = 8): string {
  const p = plain(x);
  if (typeof p === 'number') return fmt(p);
  if (!Array.isArray(p)) return p === undefined ? 'undefined' : typeof p === 'object' ? JSON.stringify(p)?.slice(0, 80) ?? String(p) : String(p);
  const values = flat(p);
  const shape = shapeOf(p);
  const head = values.slice(0, max).map((v) => fmt(v)).join(', ');
  return `${shape.length > 1 ? `[${shape.join('×')}] ` : ''}[${head}${values.length > max ? `, … (${values.length} values)` : ''}]`;
}
export const fmt = (v: unknown, digits = 6) => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(digits))) : String(v));
/**
 * Two numbers printed with just enough digits to tell them apart: "expected −1, got −0.99999994", never
 * "expected −1, got −1" (6 digits is the default; up to 17, which always differ for different doubles).
 */
export function fmtPair(expected: unknown, actual: unknown): [string, string] {
  let digits = 6;
  while (digits < 17 && typeof expected === 'number' && typeof actual === 'number' && expected !== actual
    && fmt(expected, digits) === fmt(actual, digits)) digits++;
  return [fmt(expected, digits), fmt(actual, digits)];
}
const differ = (e: unknown, a: unknown) => { const [x, y] = fmtPair(e, a); return `expected ${x}, got ${y}`; };

const within = (a: unknown, e: number, tolerance: number) =>
  typeof a === 'number' && (a === e || Math.abs(a - e) <= tolerance * (1 + Math.abs(e)));

/**
 * Compare a learner's value with the expected one. Typed arrays count as arrays. On a mismatch, say
 * where: the type or shape that differs, or the first index whose values differ, with both values.
 */
export function compare(actual: unknown, expected: unknown, tolerance = 1e-4): string | null {
  const e = plain(expected);
  if (typeof e === 'number') {
    if (typeof actual !== 'number') return `returned ${describeType(actual)}, expected a number`;
    return within(actual, e, tolerance) ? null : differ(e, actual);
  }
  const a = plain(actual);
  const walk = (x: unknown, y: unknown, path: number[]): string | null => {
    if (Array.isArray(y)) {
      if (!Array.isArray(x)) return null; // reported below as a type/shape difference
      if (x.length !== y.length) return null;
      for (let i = 0; i < y.length; i++) { const d = walk(x[i], y[i], [...path, i]); if (d) return d; }
      return '';
    }
    return within(x, y as number, tolerance) ? '' : `first difference at ${path.map((i) => `[${i}]`).join('')}: ${differ(y, x)}`;
  };
  const sa = shapeOf(a), se = shapeOf(e);
  if (JSON.stringify(sa) !== JSON.stringify(se) || !Array.isArray(a)) {
    const typeName = describeType(actual), wanted = describeType(expected);
    const sizes = (s: number[]) => (s.length ? ` of shape ${s.join('×')}` : '');
    return `returned ${typeName}${sizes(sa)}, expected ${wanted}${sizes(se)}`;
  }
  const d = walk(a, e, []);
  return d === null ? `returned ${describeType(actual)} of shape ${sa.join('×')} with ragged rows, expected ${describeType(expected)} of shape ${se.join('×')}` : d || null;
}
export const close = (actual: unknown, expected: unknown, tolerance = 1e-4) => {
  try { return compare(actual, expected, tolerance) === null; } catch { return false; }
};

/** A thrown error as the learner should see it; `not implemented` gets its own hint. */
export function errorResult(name: string, input: string | undefined, expected: unknown, error: unknown): CaseResult {
  const message = error instanceof Error ? error.message : String(error);
  return { name, pass: false, input, expected: expected === undefined ? undefined : show(expected), error: message,
    where: error instanceof Error ? error.stack : undefined,
    hint: /not implemented/.test(message) ? 'the function still throws "not implemented": write it' : undefined };
}

/** One case: call the learner's code, compare, and on failure give the first hint whose wrong answer matches. */
export function runCase(name: string, input: string, call: () => unknown, expected: unknown | (() => unknown),
  hints: Hint[] = [], tolerance = 1e-4): Case {
  return {
    name,
    run() {
      const want = typeof expected === 'function' ? (expected as () => unknown)() : expected;
      let actual: unknown;
      try { actual = call(); } catch (error) { return errorResult(name, input, want, error); }
      const difference = compare(actual, want, tolerance);
      if (difference === null) return { name, pass: true };
      const hint = hints.find((h) => { try { return h.when(actual); } catch { return false; } })?.hint;
      return { name, pass: false, input, expected: show(want), actual: show(actual), difference, hint };
    },
  };
}

/** A case that checks a property: `test` returns null when it holds, or what is wrong (and optionally a hint). */
export function propertyCase(name: string, input: string, test: () => null | string | { difference: string; hint?: string }): Case {
  return {
    name,
    run() {
      let outcome: ReturnType<typeof test>;
      try { outcome = test(); } catch (error) { return errorResult(name, input, undefined, error); }
      if (outcome === null) return { name, pass: true };
      return typeof outcome === 'string' ? { name, pass: false, input, difference: outcome } : { name, pass: false, input, ...outcome };
    },
  };
}

/** A deterministic generator for the random cases (same cases every run). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  // a check may hand a fresh generator to learner code: the learner's process builds its own lcg(seed)
  return shipped(() => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 4294967296; }, import.meta.url, 'lcg', [seed]);
}
export function randomNested(random: () => number, shape: number[], low = -1, high = 1): Nested {
  if (shape.length === 0) return Math.round((low + (high - low) * random()) * 100) / 100;
  return Array.from({ length: shape[0] }, () => randomNested(random, shape.slice(1), low, high));
}
export const clone = <T>(x: T): T => structuredClone(x);
export const sameJSON = (a: unknown, b: unknown) => JSON.stringify(plain(a)) === JSON.stringify(plain(b));
