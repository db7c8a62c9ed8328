// IDX files written byte by byte for tests (the format of MNIST and its drop-in replacements): a header of two zero
// bytes, the element type, the number of dimensions and each dimension as a big-endian uint32, then the elements.
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

/** An IDX file of unsigned bytes (or another element type / magic for hostile files). */
export function idxBytes(dims: number[], data: Uint8Array, { type = 0x08, magic = [0, 0] } = {}): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header.set([magic[0], magic[1], type, dims.length]);
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const bytes = new Uint8Array(header.length + data.length);
  bytes.set(header); bytes.set(data, header.length);
  return bytes;
}

/** Pixel (y, x) of image n: a pattern that shows a transposed, shifted or misordered image. */
export const pixel = (n: number, y: number, x: number, cols: number) => (n * 37 + y * cols + x * 3) % 256;
/** Label of sample n. */
export const labelOf = (n: number, classes: number) => (n * 7 + 3) % classes;

/** `count` images [rows, cols] and their labels as IDX bytes. */
export function idxSet(count: number, rows = 28, cols = 28, classes = 10): { images: Uint8Array; labels: Uint8Array } {
  const pixels = new Uint8Array(count * rows * cols);
  for (let n = 0; n < count; n++) for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) pixels[(n * rows + y) * cols + x] = pixel(n, y, x, cols);
  const labels = Uint8Array.from({ length: count }, (_, n) => labelOf(n, classes));
  return { images: idxBytes([count, rows, cols], pixels), labels: idxBytes([count], labels) };
}

/** A folder laid out as MNIST is published: the four files, gzip-compressed or not. */
export function writeMnistFolder(directory: string, { train = 40, test = 12, gzip = false, rows = 28, cols = 28, classes = 10 } = {}): void {
  const write = (name: string, bytes: Uint8Array) => writeFileSync(join(directory, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  const a = idxSet(train, rows, cols, classes), b = idxSet(test, rows, cols, classes);
  write('train-images-idx3-ubyte', a.images); write('train-labels-idx1-ubyte', a.labels);
  write('t10k-images-idx3-ubyte', b.images); write('t10k-labels-idx1-ubyte', b.labels);
}
