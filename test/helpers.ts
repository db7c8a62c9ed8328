// test/helpers.ts: comparisons, random tensors and central differences for the op tests.
import { expect, describe, beforeAll, afterAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { type Tensor, tensor, contiguousData, seeded, type Random, setKernels } from '../core/index.js';

/** Register `body`'s tests twice: once on the WebAssembly kernels, once on the plain TypeScript ones. */
export function underEachKernels(body: () => void): void {
  describe.each(['wasm', 'js'] as const)('%s kernels', (name) => {
    beforeAll(() => setKernels(name));
    afterAll(() => setKernels('wasm'));
    body();
  });
}

export function expectClose(actual: Tensor | number, expected: Tensor | number | unknown, { atol = 1e-5, rtol = 1e-4 } = {}): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(contiguousData(actual));
  const e = typeof expected === 'number' ? [expected]
    : Array.isArray(expected) ? (expected as unknown[]).flat(Infinity) as number[]
    : Array.from(contiguousData(expected as Tensor));
  expect(a.length).toBe(e.length);
  if (typeof actual !== 'number' && typeof expected === 'object' && expected !== null && 'shape' in (expected as object)) {
    expect(actual.shape).toEqual((expected as Tensor).shape);
  }
  for (let i = 0; i < a.length; i++) {
    const tolerance = atol + rtol * Math.abs(e[i]);
    if (!(Math.abs(a[i] - e[i]) <= tolerance) && !(Number.isNaN(a[i]) && Number.isNaN(e[i]))) {
      throw new Error(`value ${i}: expected ${e[i]}, got ${a[i]} (tolerance ${tolerance})`);
    }
  }
}

/** Shape of a nested array. */
export function shapeOf(nested: unknown): number[] {
  const shape: number[] = [];
  let level = nested;
  while (Array.isArray(level)) { shape.push(level.length); level = level[0]; }
  return shape;
}

export function randomTensor(random: Random, shape: number[], low = -1, high = 1): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(Array.from({ length: size }, () => random.uniform(low, high)), shape);
}

export function dot(a: Tensor, b: Tensor): number {
  const x = contiguousData(a), y = contiguousData(b);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

/** ∂f/∂x by central differences, perturbing each element of a float64 copy fed back as float32. */
export function centralDifference(f: (x: Tensor) => number, x: Tensor, { h = 1e-2 } = {}): Tensor {
  const base = Array.from(contiguousData(x));
  const grad = new Float32Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const plus = base.slice(); plus[i] += h;
    const minus = base.slice(); minus[i] -= h;
    const xp = tensor(plus, x.shape), xm = tensor(minus, x.shape);
    // the step actually taken in float32
    const step = xp.data[i] - xm.data[i];
    grad[i] = (f(xp) - f(xm)) / step;
  }
  return tensor(grad, x.shape);
}

/** max |a−b| / max(|b|, floor): relative error of an analytic against a numeric gradient. */
export function expectRelativeClose(analytic: Tensor, numeric: Tensor, tolerance: number, floor = 1e-2): void {
  const a = contiguousData(analytic), n = contiguousData(numeric);
  expect(Array.from(analytic.shape)).toEqual(Array.from(numeric.shape));
  let scale = floor;
  for (let i = 0; i < n.length; i++) scale = Math.max(scale, Math.abs(n[i]));
  for (let i = 0; i < a.length; i++) {
    const error = Math.abs(a[i] - n[i]) / scale;
    if (!(error <= tolerance)) throw new Error(`gradient ${i}: analytic ${a[i]}, numeric ${n[i]} (relative error ${error} > ${tolerance})`);
  }
}

export { seeded };

/** The source files under the repository folders `roots` (e.g. 'core', 'viz/src') whose text matches `pattern`, as
 *  repository paths, leaving out `except`: the check behind every one-rule-one-home test (a copy that comes back fails it). */
export function filesMatching(roots: string[], pattern: RegExp, except: string[] = []): string[] {
  const repository = new URL('../', import.meta.url);
  const found: string[] = [];
  for (const root of roots) {
    for (const file of readdirSync(new URL(`${root}/`, repository), { recursive: true }) as string[]) {
      const path = `${root}/${file}`;
      if (!/\.(ts|svelte)$/.test(file) || except.includes(path)) continue;
      if (pattern.test(readFileSync(new URL(path, repository), 'utf8'))) found.push(path);
    }
  }
  return found.sort();
}
