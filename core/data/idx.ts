// core/data/idx.ts: the IDX format of MNIST and its drop-in replacements (Fashion-MNIST, KMNIST, EMNIST), browser-safe.
//   A file is a header then the data: two zero bytes, an element-type byte (0x08 = unsigned byte, the only one these
//   data sets use), the number of dimensions, then each dimension as a big-endian uint32, then the elements row-major.
//   Images: 3 dimensions [count, rows, cols] (…-images-idx3-ubyte); labels: 1 dimension [count] (…-labels-idx1-ubyte).
//   Everything is checked from the header before anything large is allocated: magic and element type, each dimension
//   against the limits, the file's length against what the header declares; then labels against the class count and
//   the two counts against each other. Every refusal names the file. `.gz` files are inflated with a bound: never past
//   the size their own header declares (a small file that inflates to gigabytes is refused as it inflates).
import type { ByteDataset } from './dataset.js';

/** The file names of the four MNIST files (each may also be published with `.gz`). */
export const IDX_FILES = {
  trainImages: 'train-images-idx3-ubyte', trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte', testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** What an IDX file may declare: enough for EMNIST ByClass (697,932 × 28 × 28 = 547 MB), not more. */
export const IDX_LIMITS = {
  /** Element bytes one file may declare. */
  bytes: 768 * 1024 * 1024,
  /** Rows or columns of an image. */
  side: 1024,
  /** Classes a label file may name (labels are bytes). */
  classes: 256,
} as const;

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: 'unsigned byte', 0x09: 'signed byte', 0x0b: 'int16', 0x0c: 'int32', 0x0d: 'float32', 0x0e: 'float64' };

export interface IdxHeader {
  dims: number[];
  /** Bytes before the data. */
  headerBytes: number;
  /** Bytes of data the header declares (the product of the dimensions). */
  dataBytes: number;
}

export const isGzip = (bytes: Uint8Array) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Bytes an IDX header of `ndims` dimensions takes. */
export const idxHeaderBytes = (ndims: number) => 4 + 4 * ndims;

/** The header at the start of `bytes` (only the header needs to be there): magic, element type, dimensions within the
 *  limits. `rank` is the number of dimensions expected (3 images, 1 labels). */
export function readIdxHeader(bytes: Uint8Array, name: string, rank: 1 | 3): IdxHeader {
  const what = rank === 3 ? 'images (3 dimensions: count, rows, columns)' : 'labels (1 dimension: count)';
  if (isGzip(bytes)) throw new RangeError(`${name} is still gzip-compressed: inflate it first (or pass it as .gz)`);
  if (bytes.length < 4) throw new RangeError(`${name} has ${bytes.length} bytes, too short for an IDX header (4 bytes of magic number, then the dimensions): truncated or not an IDX file`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new RangeError(`${name} is not an IDX file: its magic number starts ${hex(bytes[0])} ${hex(bytes[1])}, expected 0x00 0x00 ` +
      `(an IDX file starts 0x00 0x00 0x08 0x0${rank} for ${what})`);
  }
  const type = bytes[2], ndims = bytes[3];
  if (type !== UNSIGNED_BYTE) {
    throw new RangeError(`${name}: IDX element type ${hex(type)} (${TYPE_NAMES[type] ?? 'unknown'}), expected 0x08 (unsigned byte, as MNIST and its drop-in replacements use)`);
  }
  if (ndims !== rank) {
    throw new RangeError(`${name}: an IDX file of ${ndims} dimension${ndims === 1 ? '' : 's'}, expected ${what}` +
      (ndims === 1 || ndims === 3 ? ` (is this the ${ndims === 1 ? 'labels' : 'images'} file?)` : ''));
  }
  const headerBytes = idxHeaderBytes(ndims);
  if (bytes.length < headerBytes) throw new RangeError(`${name} has ${bytes.length} bytes, too short for its ${headerBytes}-byte IDX header: truncated`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (dims[0] === 0) throw new RangeError(`${name} declares 0 samples: nothing to train or test on`);
  if (rank === 3) {
    const [, rows, cols] = dims;
    if (rows < 1 || cols < 1 || rows > IDX_LIMITS.side || cols > IDX_LIMITS.side) {
      throw new RangeError(`${name} declares images of ${rows}×${cols} pixels; each side must be 1 to ${IDX_LIMITS.side}`);
    }
  }
  const dataBytes = dims.reduce((a, b) => a * b, 1);
  if (dataBytes > IDX_LIMITS.bytes) {
    throw new RangeError(`${name} declares ${dims.map((d) => d.toLocaleString('en')).join(' × ')} = ${dataBytes.toLocaleString('en')} bytes of data, ` +
      `more than the limit of ${IDX_LIMITS.bytes.toLocaleString('en')} bytes (${IDX_LIMITS.bytes / 1048576} MiB)`);
  }
  return { dims, headerBytes, dataBytes };
}

/** The length an IDX file must have, from its header, or a message naming what is wrong. */
export function checkIdxLength(header: IdxHeader, length: number, name: string): void {
  const expected = header.headerBytes + header.dataBytes;
  if (length === expected) return;
  const declared = `its header declares ${header.dims.map((d) => d.toLocaleString('en')).join(' × ')} elements (${header.headerBytes} header bytes + ${header.dataBytes.toLocaleString('en')} data bytes = ${expected.toLocaleString('en')})`;
  throw new RangeError(length < expected
    ? `${name} is truncated: ${length.toLocaleString('en')} bytes, but ${declared}`
    : `${name} has ${(length - expected).toLocaleString('en')} bytes more than ${declared.replace(/^its/, 'its')}: not a single IDX file`);
}

/** An uncompressed IDX file → its dimensions and its data (a view on `bytes`). */
export function parseIdx(bytes: Uint8Array, name: string, rank: 1 | 3): { dims: number[]; data: Uint8Array } {
  const header = readIdxHeader(bytes, name, rank);
  checkIdxLength(header, bytes.length, name);
  return { dims: header.dims, data: bytes.subarray(header.headerBytes) };
}

export interface IdxOptions {
  /** File names for messages. */
  imagesName?: string;
  labelsName?: string;
  /** Classes the labels must fall in (0..classes−1); default: the largest label + 1. */
  classes?: number;
  /** Keep the first `limit` samples only. */
  limit?: number;
}

/** An images file and a labels file (uncompressed IDX bytes) → a byte data set [count, 1, rows, cols], values byte / 255.
 *  Counts must be equal and every label below `classes`. */
export function loadIdx(images: Uint8Array, labels: Uint8Array, options: IdxOptions = {}): ByteDataset {
  const { imagesName = 'images file', labelsName = 'labels file', limit = Infinity } = options;
  const image = parseIdx(images, imagesName, 3), label = parseIdx(labels, labelsName, 1);
  const [n, rows, cols] = image.dims;
  if (label.dims[0] !== n) {
    throw new RangeError(`${labelsName} has ${label.dims[0].toLocaleString('en')} labels but ${imagesName} has ${n.toLocaleString('en')} images: the counts must be equal (files of two different sets?)`);
  }
  const classes = options.classes ?? largest(label.data) + 1;
  if (!(Number.isInteger(classes) && classes >= 1 && classes <= IDX_LIMITS.classes)) throw new RangeError(`loadIdx: classes must be an integer 1..${IDX_LIMITS.classes}, got ${classes}`);
  checkLabels(label.data, classes, labelsName);
  const kept = Math.min(n, Math.max(0, Math.floor(limit)));
  return {
    bytes: image.data.subarray(0, kept * rows * cols), divisor: 255, labels: Int32Array.from(label.data.subarray(0, kept)),
    sampleShape: [1, rows, cols], classes,
  };
}

/** Every label below `classes`, or a message naming the first that is not. */
export function checkLabels(labels: Uint8Array, classes: number, name: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] >= classes) {
      throw new RangeError(`${name}: label ${i} is ${labels[i]}, outside 0..${classes - 1} (${classes} classes${classes === 10 ? ', as the model has outputs' : ''})`);
    }
  }
}

/** The largest byte (labels are bytes). */
export function largest(values: Uint8Array): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  return max;
}

/** A gzip-compressed IDX file inflated in the browser (DecompressionStream; Node 18+ has it too), never past the size
 *  its own header declares: the header is read from the first inflated bytes, the output buffer is allocated from it
 *  (after the limits are checked), and a stream that goes on past it is cancelled and refused. */
export async function gunzipIdx(compressed: Uint8Array, name: string, rank: 1 | 3): Promise<Uint8Array> {
  if (!isGzip(compressed)) throw new RangeError(`${name} is not gzip-compressed (it does not start with 0x1f 0x8b)`);
  const stream = new Blob([compressed as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let headLength = 0, output: Uint8Array | null = null, length = 0;
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try { chunk = await reader.read(); } catch (error) {
        throw new RangeError(`${name} is a damaged or truncated gzip file (${(error as Error).message})`);
      }
      if (chunk.done) break;
      let bytes = chunk.value;
      if (!output) {
        head.push(bytes); headLength += bytes.length;
        const joined = concat(head, headLength);
        if (joined.length < idxHeaderBytes(rank)) continue;
        const header = readIdxHeader(joined, name, rank);
        output = new Uint8Array(header.headerBytes + header.dataBytes);
        bytes = joined;
      }
      if (length + bytes.length > output.length) {
        throw new RangeError(`${name} inflates to more than the ${output.length.toLocaleString('en')} bytes its IDX header declares: damaged or not a single IDX file`);
      }
      output.set(bytes, length);
      length += bytes.length;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
  if (!output) {
    const joined = concat(head, headLength);
    readIdxHeader(joined, name, rank); // names what is wrong with the start
    throw new RangeError(`${name} inflates to ${joined.length} bytes, too short for an IDX header: truncated`);
  }
  if (length < output.length) throw new RangeError(`${name} is truncated: it inflates to ${length.toLocaleString('en')} bytes, but its IDX header declares ${output.length.toLocaleString('en')}`);
  return output;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const joined = new Uint8Array(length);
  let at = 0;
  for (const part of parts) { joined.set(part, at); at += part.length; }
  parts.splice(0, parts.length, joined);
  return joined;
}

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, '0')}`;
