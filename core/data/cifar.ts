// core/data/cifar.ts: the CIFAR-10 binary format (cifar-10-binary.tar.gz → cifar-10-batches-bin/), browser-safe.
//   data_batch_1.bin … data_batch_5.bin (training, 10,000 records each) and test_batch.bin (10,000 records).
//   A record is 3,073 bytes: 1 label byte (0–9), then 1,024 red, 1,024 green and 1,024 blue bytes, each plane
//   32×32 row-major. Read as it lies, a record's pixels are already convlab's [3,32,32] layout (channels first);
//   they stay bytes (a ByteDataset: 60,000 pictures take 184 MB, not 737 MB as floats), values byte / 255 in [0,1]
//   made a batch at a time. There is no header: a file is recognised by its size (whole records)
//   and its labels (every one 0–9), which is enough to refuse a truncated file, CIFAR-100 (2 label bytes per
//   record), the Python (pickle) version and a still-compressed archive with a message that says so.
import type { ByteDataset } from './dataset.js';

export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;
export const CIFAR10_RECORDS_PER_FILE = 10_000;
export const CIFAR10_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
export const CIFAR10_TEST_FILE = 'test_batch.bin';
/** The class names in label order (batches.meta.txt). */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
/** Where the files come from and what to pass, for messages. */
export const CIFAR10_HELP = 'get the binary version (cifar-10-binary.tar.gz, 162 MB) from https://www.cs.toronto.edu/~kriz/cifar.html, ' +
  'extract it (tar xzf cifar-10-binary.tar.gz) and pass the folder: --data cifar10:cifar-10-batches-bin';

/** Records of a CIFAR-10 binary file → a byte data set [count, 3, 32, 32] (values byte / 255), labels 0–9. `limit` keeps
 *  the first records. */
export function parseCifar10(bytes: Uint8Array, name = 'CIFAR-10 file', { limit = Infinity }: { limit?: number } = {}): ByteDataset {
  const R = CIFAR10_RECORD_BYTES;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new RangeError(`${name} is gzip-compressed: extract the archive first (${CIFAR10_HELP})`);
  }
  if (bytes.length >= 2 && bytes[0] === 0x80 && bytes[1] <= 5) {
    throw new RangeError(`${name} is a Python pickle (the CIFAR-10 python version), not the binary version (${CIFAR10_HELP})`);
  }
  if (bytes.length === 0 || bytes.length % R !== 0) {
    throw new RangeError(`${name} is not a whole number of CIFAR-10 records: ${bytes.length.toLocaleString('en')} bytes, expected a multiple of ` +
      `${R.toLocaleString('en')} (1 label byte + 3,072 pixel bytes; a full batch is ${(R * CIFAR10_RECORDS_PER_FILE).toLocaleString('en')}): truncated or not a CIFAR-10 binary file`);
  }
  const records = Math.min(bytes.length / R, limit);
  for (let n = 0; n < records; n++) {
    const label = bytes[n * R];
    if (label > 9) {
      throw new RangeError(`${name}: record ${n} has label ${label}, expected 0–9: not a CIFAR-10 binary file ` +
        `(CIFAR-100's records have 2 label bytes and 100 classes)`);
    }
  }
  const pixels = new Uint8Array(records * 3072), labels = new Int32Array(records);
  for (let n = 0; n < records; n++) {
    labels[n] = bytes[n * R];
    // R, G, B planes in the file's order are the [3,32,32] layout: one copy of the bytes
    pixels.set(bytes.subarray(n * R + 1, (n + 1) * R), n * 3072);
  }
  return { bytes: pixels, divisor: 255, labels, sampleShape: [3, 32, 32], classes: 10, classNames: CIFAR10_CLASSES.slice() };
}

/** Several parsed files as one data set, in the order given. */
export function concatDatasets(parts: ByteDataset[]): ByteDataset {
  if (parts.length === 0) throw new RangeError('concatDatasets: no data sets given');
  const total = parts.reduce((t, d) => t + d.labels.length, 0), size = parts[0].bytes.length / Math.max(1, parts[0].labels.length);
  const pixels = new Uint8Array(total * size), labels = new Int32Array(total);
  let at = 0;
  for (const part of parts) {
    pixels.set(part.bytes, at * size);
    labels.set(part.labels, at);
    at += part.labels.length;
  }
  return { ...parts[0], bytes: pixels, labels };
}

/** What a model's outputs stand for: CIFAR-10's class names for a 32×32 colour model with 10 outputs, else the index
 *  ('0' … '9' for the digits). */
export function classNamesFor(inputShape: readonly number[], classes: number): string[] {
  if (inputShape.length === 3 && inputShape[0] === 3 && inputShape[1] === 32 && inputShape[2] === 32 && classes === 10) return CIFAR10_CLASSES.slice();
  return Array.from({ length: classes }, (_, c) => String(c));
}
