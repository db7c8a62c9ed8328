// exercises/lib.ts: what every check shares — cases, comparison with trimmed printing, hints for known mistakes.
export type Nested = number | Nested[];

export interface CaseResult { name: string; pass: boolean; input?: string; expected?: string; actual?: string; hint?: string; error?: string }
export interface Check { title: string; run(impl: Record<string, unknown>): CaseResult[] }

export const flat = (x: unknown): number[] => (Array.isArray(x) ? (x as unknown[]).flat(Infinity) as number[] : typeof x === 'number' ? [x] : []);
export function shapeOf(x: unknown): number[] {
  const shape: number[] = [];
  let level = x;
  while (Array.isArray(level)) { shape.push(level.length); level = level[0]; }
  return shape;
}

/** Short printing: shape and the first values. */
export function show(x: unknown, max = 8): string {
  if (typeof x === 'number') return fmt(x);
  if (!Array.isArray(x)) return String(x);
  const values = flat(x);
  const shape = shapeOf(x);
  const head = values.slice(0, max).map(fmt).join(', ');
  return `${shape.length > 1 ? `[${shape.join('×')}] ` : ''}[${head}${values.length > max ? `, … (${values.length} values)` : ''}]`;
}
const fmt = (v: number) => (typeof v === 'number' && Number.isFinite(v) ? String(Number(v.toPrecision(5))) : String(v));

export function close(actual: unknown, expected: unknown, tolerance = 1e-4): boolean {
  const a = flat(actual), e = flat(expected);
  if (JSON.stringify(shapeOf(actual)) !== JSON.stringify(shapeOf(expected)) || a.length !== e.length) return false;
  return a.every((v, i) => typeof v === 'number' && Math.abs(v - e[i]) <= tolerance * (1 + Math.abs(e[i])));
}

/** Run one case: call the learner's function, compare, and on failure find the hint whose wrong answer matches. */
export function runCase(name: string, input: string, call: () => unknown, expected: unknown,
  hints: { when: (actual: unknown) => boolean; hint: string }[] = [], tolerance = 1e-4): CaseResult {
  let actual: unknown;
  try { actual = call(); } catch (error) {
    const message = (error as Error).message;
    return { name, pass: false, input, expected: show(expected), error: message,
      hint: /not implemented/.test(message) ? 'the function still throws "not implemented": write it in starter.ts' : undefined };
  }
  if (close(actual, expected, tolerance)) return { name, pass: true };
  const hint = hints.find((h) => { try { return h.when(actual); } catch { return false; } })?.hint;
  return { name, pass: false, input, expected: show(expected), actual: show(actual), hint };
}

/** A deterministic generator for the random cases (same cases every run). */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => { state = (Math.imul(state, 1664525) + 1013904223) >>> 0; return state / 4294967296; };
}
export function randomNested(random: () => number, shape: number[], low = -1, high = 1): Nested {
  if (shape.length === 0) return Math.round((low + (high - low) * random()) * 100) / 100;
  return Array.from({ length: shape[0] }, () => randomNested(random, shape.slice(1), low, high));
}
