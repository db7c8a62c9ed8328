// core/check.ts: argument checks shared by every op. Messages are built only when a check fails.
import { type Tensor, type Pair, type Padding, formatShape, isTensor, checkView } from './tensor.js';

/** x must be a tensor of one of the given ranks, with no empty dimension. */
export function expectTensor(op: string, name: string, x: unknown, ranks?: readonly number[]): asserts x is Tensor {
  if (!isTensor(x)) {
    throw new TypeError(`${op}: ${name} must be a tensor (an ndarray over a Float32Array), got ${describe(x)}`);
  }
  checkView(op, name, x);
  if (ranks && !ranks.includes(x.dimension)) {
    throw new RangeError(`${op}: ${name} must have rank ${ranks.join(' or ')}, got rank ${x.dimension} (${name} ${formatShape(x)})`);
  }
  for (let d = 0; d < x.dimension; d++) {
    if (x.shape[d] === 0) throw new RangeError(`${op}: ${name} has an empty dimension (${name} ${formatShape(x)})`);
  }
}

/** b must have exactly a's shape. */
export function expectSameShape(op: string, nameB: string, b: Tensor, nameA: string, a: Tensor): void {
  expectTensor(op, nameB, b);
  if (b.dimension !== a.dimension || b.shape.some((d, i) => d !== a.shape[i])) {
    throw new RangeError(`${op}: ${nameB} must have the shape of ${nameA} (${nameB} ${formatShape(b)}, ${nameA} ${formatShape(a)})`);
  }
}

/** b must have exactly the given shape. */
export function expectShape(op: string, name: string, x: Tensor, shape: readonly number[]): void {
  expectTensor(op, name, x);
  if (x.dimension !== shape.length || x.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${op}: ${name} must have shape ${formatShape(shape)}, got ${formatShape(x)}`);
  }
}

/** A stride (or pool size): a positive integer or a pair of them. */
export function readPair(op: string, name: string, value: Pair | undefined | null, fallback: readonly [number, number]): [number, number] {
  if (value === undefined || value === null) return [fallback[0], fallback[1]];
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new TypeError(`${op}: ${name} must be an integer or a pair [height, width], got ${describe(value)}`);
  }
  for (const v of pair) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new RangeError(`${op}: ${name} must be a positive integer, got ${describe(value)}`);
    }
  }
  return [pair[0], pair[1]];
}

/** Padding for one axis pair: [top, bottom, left, right], resolved against input and kernel size. */
export function readPadding(op: string, padding: Padding | undefined | null, height: number, width: number,
  kernelHeight: number, kernelWidth: number, strideH: number, strideW: number): [number, number, number, number] {
  const value = padding ?? 'valid';
  if (value === 'valid') return [0, 0, 0, 0];
  if (value === 'same') {
    // TensorFlow rule: Ho = ceil(H/sh); total = max((Ho−1)·sh + kh − H, 0); top gets floor(total/2)
    const outH = Math.ceil(height / strideH), outW = Math.ceil(width / strideW);
    const totalH = Math.max((outH - 1) * strideH + kernelHeight - height, 0);
    const totalW = Math.max((outW - 1) * strideW + kernelWidth - width, 0);
    return [Math.floor(totalH / 2), totalH - Math.floor(totalH / 2), Math.floor(totalW / 2), totalW - Math.floor(totalW / 2)];
  }
  if (typeof value === 'string') {
    throw new TypeError(`${op}: padding must be 'valid', 'same', an integer or a pair, got '${value}'`);
  }
  const pair = typeof value === 'number' ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2) {
    throw new TypeError(`${op}: padding must be 'valid', 'same', an integer or a pair, got ${describe(value)}`);
  }
  for (const v of pair) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
      throw new RangeError(`${op}: padding must be a non-negative integer, got ${describe(value)}`);
    }
  }
  return [pair[0], pair[0], pair[1], pair[1]];
}

/** An options argument: undefined or null mean "all defaults" ({}); anything else must be an object. */
export function readOptions<T extends object>(op: string, options: T | null | undefined): Partial<T> {
  if (options === undefined || options === null) return {};
  if (typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${op}: options must be an object, got ${describe(options)}`);
  return options;
}

/** An optional tensor option (bias): undefined or null mean none. */
export function readOptionalTensor(op: string, name: string, x: unknown, ranks?: readonly number[]): Tensor | undefined {
  if (x === undefined || x === null) return undefined;
  expectTensor(op, name, x, ranks);
  return x;
}

/** Class targets: an integer in [0, classes) or one per sample. */
export function readTargets(op: string, target: unknown, samples: number, classes: number, batched: boolean): Int32Array {
  let list: ArrayLike<number>;
  if (typeof target === 'number') list = [target];
  else if (Array.isArray(target) || ArrayBuffer.isView(target)) list = target as ArrayLike<number>;
  else if (isTensor(target)) { checkView(op, 'target', target); list = Array.from({ length: target.size }, (_, i) => target.data[target.offset + i * target.stride[0]]); }
  else throw new TypeError(`${op}: target must be a class index or an array of them, got ${describe(target)}`);
  if (list.length !== samples) {
    throw new RangeError(`${op}: target must hold ${samples} class ${samples === 1 ? 'index' : 'indices'}` +
      `${batched ? ' (one per sample)' : ''}, got ${list.length}`);
  }
  const out = new Int32Array(samples);
  for (let n = 0; n < samples; n++) {
    const t = list[n];
    if (typeof t !== 'number' || !Number.isInteger(t)) {
      throw new RangeError(`${op}: target must be an integer class index, got ${describe(t)}${samples > 1 ? ` at sample ${n}` : ''}`);
    }
    if (t < 0 || t >= classes) {
      throw new RangeError(`${op}: target ${t} is out of range for ${classes} classes (expected 0..${classes - 1})`);
    }
    out[n] = t;
  }
  return out;
}

export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return `'${x}'`;
  if (Array.isArray(x)) return `[${x.map(describe).join(',')}]`;
  if (isTensor(x)) return `a tensor ${formatShape(x)}`;
  return typeof x;
}
