// core/tensor.ts: a Tensor is an ndarray over a Float32Array (shape + stride + offset).
import ndarray from 'ndarray';

export type Tensor = ndarray.NdArray<Float32Array>;
/** An int, or a [height, width] pair. */
export type Pair = number | readonly [number, number];
/** Zero padding: 'valid' (none), 'same' (TensorFlow rule), an int, or [top/bottom, left/right]. */
export type Padding = 'valid' | 'same' | number | readonly [number, number];

type Nested = number | readonly Nested[];

/** Build a tensor from nested arrays, or from a flat array / typed array plus a shape. */
export function tensor(data: Nested | ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (shape !== undefined) {
    const flat = flatten(data as Nested, 'tensor');
    const size = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new RangeError(`tensor: shape must hold non-negative integers, got [${shape.join(',')}]`);
    }
    if (flat.length !== size) {
      throw new RangeError(`tensor: shape [${shape.join(',')}] holds ${size} values but data has ${flat.length}`);
    }
    return ndarray(Float32Array.from(flat), shape.slice());
  }
  const inferred = inferShape(data as Nested);
  return ndarray(Float32Array.from(flatten(data as Nested, 'tensor')), inferred);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[]): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return ndarray(new Float32Array(size), shape.slice());
}

/** A tensor of the given shape over existing data (no copy). */
export function fromData(data: Float32Array, shape: readonly number[]): Tensor {
  return ndarray(data, shape.slice());
}

/** `[8,24,24]`: a shape as messages print it. */
export function formatShape(x: Tensor | readonly number[]): string {
  const shape = Array.isArray(x) ? x : (x as Tensor).shape;
  return `[${shape.join(',')}]`;
}

/** Number of elements. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

/** True when x is a tensor-like ndarray. */
export function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && 'shape' in x && 'stride' in x && 'data' in x &&
    Array.isArray((x as Tensor).shape);
}

/** A sample [C,H,W] lifted to a batch [1,C,H,W] (a view; no copy); a batch is returned as is. */
export function asBatch(x: Tensor, sampleRank: number): Tensor {
  if (x.dimension === sampleRank + 1) return x;
  return ndarray(x.data, [1, ...x.shape], [0, ...x.stride], x.offset);
}

/** True when x is row-major contiguous, so its values are data[offset .. offset+size). */
export function isContiguous(x: Tensor): boolean {
  let expected = 1;
  for (let d = x.dimension - 1; d >= 0; d--) {
    if (x.shape[d] !== 1 && x.stride[d] !== expected) return false;
    expected *= x.shape[d];
  }
  return true;
}

/** The values of x in row-major order: a subarray (no copy) when x is contiguous, else a copy. */
export function contiguousData(x: Tensor): Float32Array {
  if (isContiguous(x)) return x.data.subarray(x.offset, x.offset + x.size);
  const out = new Float32Array(x.size);
  const shape = x.shape, stride = x.stride, rank = x.dimension;
  const index = new Array<number>(rank).fill(0);
  for (let flat = 0; flat < out.length; flat++) {
    let p = x.offset;
    for (let d = 0; d < rank; d++) p += index[d] * stride[d];
    out[flat] = x.data[p];
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

/** A fresh contiguous copy of x. */
export function clone(x: Tensor): Tensor {
  return ndarray(Float32Array.from(contiguousData(x)), x.shape.slice());
}

/** x's values as a plain (nested) array, for printing and JSON. */
export function toArray(x: Tensor): Nested {
  const flat = Array.from(contiguousData(x));
  if (x.dimension === 0) return flat[0];
  const build = (d: number, start: number): Nested => {
    const step = sizeOf(x.shape.slice(d + 1));
    if (d === x.dimension - 1) return flat.slice(start, start + x.shape[d]);
    return Array.from({ length: x.shape[d] }, (_, i) => build(d + 1, start + i * step));
  };
  return build(0, 0);
}

/** The same values in a new shape (a view when x is contiguous). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== x.size) {
    throw new RangeError(`reshape: cannot view ${x.size} values ${formatShape(x)} as ${formatShape(shape as number[])}`);
  }
  if (isContiguous(x)) return ndarray(x.data, shape.slice(), undefined, x.offset);
  return ndarray(contiguousData(x), shape.slice());
}

function inferShape(data: Nested): number[] {
  const shape: number[] = [];
  let level: Nested = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  if (!Array.isArray(data) && !(ArrayBuffer.isView(data))) {
    if (typeof data === 'number') return [];
    throw new TypeError(`tensor: data must be a number, a nested array or a typed array, got ${typeof data}`);
  }
  if (ArrayBuffer.isView(data)) return [(data as unknown as ArrayLike<number>).length];
  return shape;
}

function flatten(data: Nested, op: string): number[] {
  if (typeof data === 'number') return [data];
  if (ArrayBuffer.isView(data)) return Array.from(data as unknown as ArrayLike<number>);
  if (!Array.isArray(data)) throw new TypeError(`${op}: data must be a number, a nested array or a typed array, got ${typeof data}`);
  const out: number[] = [];
  const expected = inferShape(data);
  const walk = (node: Nested, depth: number) => {
    if (Array.isArray(node)) {
      if (depth >= expected.length || node.length !== expected[depth]) {
        throw new RangeError(`${op}: ragged nested array: expected ${expected[depth] ?? 'a number'} entries at depth ${depth}, got ${node.length}`);
      }
      for (const child of node) walk(child, depth + 1);
    } else if (typeof node === 'number') {
      if (depth !== expected.length) throw new RangeError(`${op}: ragged nested array: a number at depth ${depth}, expected depth ${expected.length}`);
      out.push(node);
    } else {
      throw new TypeError(`${op}: data must hold numbers, got ${typeof node}`);
    }
  };
  walk(data, 0);
  return out;
}
