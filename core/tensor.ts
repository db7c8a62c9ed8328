// core/tensor.ts: a Tensor is an ndarray over a Float32Array (shape + stride + offset).
import ndarray from 'ndarray';

export type Tensor = ndarray.NdArray<Float32Array>;
/** An int, or a [height, width] pair. */
export type Pair = number | readonly [number, number];
/** Zero padding: 'valid' (none), 'same' (TensorFlow rule), an int, or [top/bottom, left/right]. */
export type Padding = 'valid' | 'same' | number | readonly [number, number];

type Nested = number | readonly Nested[];

/** The most values one tensor may hold (2³⁰, 4 GiB of float32): larger shapes are refused before allocating. */
export const MAX_TENSOR_SIZE = 2 ** 30;

/** Build a tensor from nested arrays, or from a flat array / typed array plus a shape. */
export function tensor(data: Nested | ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (shape !== undefined && shape !== null) {
    const size = checkShape('tensor', shape);
    const flat = flatten(data as Nested, 'tensor');
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
  const size = checkShape('zeros', shape);
  return ndarray(new Float32Array(size), shape.slice());
}

/** A tensor of the given shape over existing data (no copy); the data must hold at least the shape's values. */
export function fromData(data: Float32Array, shape: readonly number[]): Tensor {
  const size = checkShape('fromData', shape);
  checkData('fromData', 'data', data);
  if (data.length < size) {
    throw new RangeError(`fromData: shape ${formatShape(shape)} needs ${size} values but data has ${data.length}`);
  }
  return ndarray(data, shape.slice());
}

/** A shape: an array of non-negative integers whose product is at most MAX_TENSOR_SIZE; returns the size. */
export function checkShape(op: string, shape: readonly number[]): number {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of integers, got ${shape === null ? 'null' : typeof shape}`);
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: shape must hold non-negative integers, got [${shape.join(',')}]`);
    }
    size *= d;
  }
  if (size > MAX_TENSOR_SIZE) throw new RangeError(`${op}: shape [${shape.join(',')}] holds ${size} values, more than the limit of ${MAX_TENSOR_SIZE}`);
  return size;
}

/** data must be a live (not detached) Float32Array. */
function checkData(op: string, name: string, data: unknown): asserts data is Float32Array {
  if (!(data instanceof Float32Array)) {
    const kind = Array.isArray(data) ? 'a plain array' : ArrayBuffer.isView(data) ? (data as object).constructor.name : data === null ? 'null' : typeof data;
    throw new TypeError(`${op}: ${name} must be a Float32Array, got ${kind}`);
  }
  // ArrayBuffer#detached is newer than Node 20; there, a view on a detached buffer has length 0 and cannot be re-viewed
  if ((data.buffer as ArrayBuffer & { detached?: boolean }).detached === true || (data.length === 0 && isDetached(data.buffer))) {
    throw new TypeError(`${op}: ${name}'s buffer is detached (it was transferred to another thread or resized away)`);
  }
}

function isDetached(buffer: ArrayBufferLike): boolean {
  try { new Uint8Array(buffer); return false; } catch { return true; }
}

/** x's shape, stride and offset must address only data[0 .. data.length): O(rank), no loop over the values. */
export function checkView(op: string, name: string, x: Tensor): void {
  checkData(op, `${name}'s data`, x.data);
  const { shape, stride, offset } = x;
  if (!Array.isArray(stride) || stride.length !== shape.length) {
    throw new RangeError(`${op}: ${name} has ${shape.length} dimensions but ${Array.isArray(stride) ? stride.length : 'no'} strides`);
  }
  let low = offset, high = offset, empty = false;
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d], s = stride[d];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new RangeError(`${op}: ${name} has a bad dimension ${n} (shape [${shape.join(',')}])`);
    if (typeof s !== 'number' || !Number.isInteger(s)) throw new RangeError(`${op}: ${name} has a bad stride ${s} (strides [${stride.join(',')}])`);
    if (n === 0) empty = true;
    else if (s > 0) high += s * (n - 1);
    else low += s * (n - 1);
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset)) throw new RangeError(`${op}: ${name} has a bad offset ${offset}`);
  if (!empty && (low < 0 || high >= x.data.length)) {
    throw new RangeError(`${op}: ${name} ${formatShape(x)} (strides [${stride.join(',')}], offset ${offset}) reads elements ${low}..${high} ` +
      `but its data has ${x.data.length} values`);
  }
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
  checkView('asBatch', 'x', x);
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

/** x's values as one array when x is contiguous, without a copy: `x.data` itself when it holds exactly x's values (so
 *  the WebAssembly kernels still see a resident array as resident and read or write it in place), else a subarray. */
export function contiguousView(x: Tensor): Float32Array {
  return x.offset === 0 && x.data.length === x.size ? x.data : x.data.subarray(x.offset, x.offset + x.size);
}

/** The values of x in row-major order: contiguousView (no copy) when x is contiguous, else a copy. */
export function contiguousData(x: Tensor): Float32Array {
  if (isContiguous(x)) return contiguousView(x);
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
  checkView('reshape', 'x', x);
  if (checkShape('reshape', shape) !== x.size) {
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
