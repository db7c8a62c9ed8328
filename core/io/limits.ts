// core/io/limits.ts: what a model file from elsewhere may ask for, checked from its declared shapes
// before a single weight is read or a layer is built (a 200-byte model.json can declare a 40 GB tensor).
// The limits are the library's own (MODEL_LIMITS, which a Sequential checks too): one set for every format.
import { ModelFileError } from './modelFile.js';
import { MODEL_LIMITS } from '../nn/layers.js';
import { printable } from '../printable.js';

/** The largest model file read (128 MiB), by the CLI (core/io/node.ts) and the app (before a File is read): the
 *  parameter limit's weights (2²⁴ floats) are 90 MB of base64. */
export const MAX_MODEL_FILE_BYTES = 128 * 1024 * 1024;

/** Refuse a model file (or a TF.js weights file) larger than MAX_MODEL_FILE_BYTES from its size alone, before it is
 *  read: the browser's `file.size`, as the CLI's fstat. */
export function checkModelFileSize(name: string, size: number): void {
  if (size > MAX_MODEL_FILE_BYTES) {
    throw new ModelFileError(`model file ${name} is ${size} bytes, more than the limit of ${MAX_MODEL_FILE_BYTES} bytes (${MAX_MODEL_FILE_BYTES / 1048576} MiB)`);
  }
}

/** At most this many parameters (weights and biases) in one model. */
export const MAX_PARAMETERS = MODEL_LIMITS.parameters;
/** At most this many values in one sample's input or any layer's output. */
export const MAX_SAMPLE_VALUES = MODEL_LIMITS.valuesPerSample;
/** At most this many layers (an ONNX graph may hold twice as many operations). */
export const MAX_LAYERS = MODEL_LIMITS.layers;

/** The number of values of a declared shape, or a ModelFileError when a dimension is not a size or the count exceeds `limit`. */
export function countOf(shape: unknown, what: string, limit: number, limitName: string): number {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ModelFileError(`${what} has shape ${JSON.stringify(shape)}; expected a list of non-negative integers`);
  }
  let count = 1;
  for (const d of shape as number[]) {
    count *= d;
    if (count > limit) throw new ModelFileError(`${what} has shape [${shape.join(',')}], more than the ${limitName} limit of ${limit} values`);
  }
  return count;
}

/** A per-sample shape must fit MAX_SAMPLE_VALUES and have positive sizes. */
export function checkSampleShape(shape: number[], what: string): void {
  if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new ModelFileError(`${what} has shape [${shape.join(',')}]: every size must be a positive integer`);
  countOf(shape, what, MAX_SAMPLE_VALUES, 'per-sample');
}

/** Float32 values from little-endian bytes (a copy; the bytes may sit at any offset). */
export function float32FromBytes(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, count * 4);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** Little-endian bytes of float32 values. */
export function bytesFromFloat32(values: Float32Array): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

/** A name read from a model file, for a message: at most `max` characters (then '…'), on one line, control characters
 *  shown as escapes (core/printable.ts), so a name can neither act on the terminal nor flood the message. */
export function nameFromFile(text: unknown, max = 80): string {
  const value = typeof text === 'string' ? text : String(text);
  return printable(value.length > max ? `${value.slice(0, max)}…` : value, true);
}
