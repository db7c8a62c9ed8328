// The one home of digits.bin's layout (written by viz/scripts/make-data.ts, read by the training worker and the
// pages): 8,000 training then 2,000 test digits, 784 bytes each (round(255·v), row by row), then their 10,000
// labels, one byte each.
import type { Dataset } from '../../../core/index.js';

export const TRAIN_DIGITS = 8000, TEST_DIGITS = 2000, PIXELS = 784;
const DIGITS = TRAIN_DIGITS + TEST_DIGITS;
/** digits.bin's exact size. */
export const DIGIT_FILE_BYTES = DIGITS * (PIXELS + 1);
/** Where the test digits lie in digits.bin: [start, end) of their pixels and of their labels. */
export const TEST_BYTES = { pixels: [TRAIN_DIGITS * PIXELS, DIGITS * PIXELS], labels: [DIGITS * PIXELS + TRAIN_DIGITS, DIGITS * PIXELS + DIGITS] } as const;

/** The training and test digits as two sets of 784 bytes a digit plus a label (inputs [n,784] uint8, labels [n]). */
export function writeDigits(train: { inputs: ArrayLike<number>; labels: ArrayLike<number> }, test: { inputs: ArrayLike<number>; labels: ArrayLike<number> }): Uint8Array {
  if (train.labels.length !== TRAIN_DIGITS || test.labels.length !== TEST_DIGITS) {
    throw new RangeError(`digits.bin holds ${TRAIN_DIGITS} training and ${TEST_DIGITS} test digits, got ${train.labels.length} and ${test.labels.length}`);
  }
  const bytes = new Uint8Array(DIGIT_FILE_BYTES);
  [train, test].forEach((set, s) => {
    const start = s === 0 ? 0 : TRAIN_DIGITS;
    for (let i = 0; i < set.labels.length * PIXELS; i++) bytes[start * PIXELS + i] = Math.round(Math.min(1, Math.max(0, set.inputs[i])) * 255);
    for (let n = 0; n < set.labels.length; n++) bytes[DIGITS * PIXELS + start + n] = set.labels[n];
  });
  return bytes;
}

function expectDigitFile(bytes: Uint8Array): void {
  if (bytes.length !== DIGIT_FILE_BYTES) throw new RangeError(`the training digits hold ${bytes.length} bytes, expected ${DIGIT_FILE_BYTES}`);
}

/** Digit `n` of digits.bin (0…9,999: training digits first) as 784 values in [0,1], and its label. */
export function digitAt(bytes: Uint8Array, n: number): { pixels: Float32Array; label: number } {
  expectDigitFile(bytes);
  if (!(Number.isInteger(n) && n >= 0 && n < DIGITS)) throw new RangeError(`there is no digit ${n} (0–${DIGITS - 1})`);
  return { pixels: Float32Array.from(bytes.subarray(n * PIXELS, (n + 1) * PIXELS), (v) => v / 255), label: bytes[DIGITS * PIXELS + n] };
}

/** Test digit `n` (0…1,999) of digits.bin. */
export const testDigitAt = (bytes: Uint8Array, n: number) => {
  expectDigitFile(bytes);
  return testDigitOf({ pixels: bytes.subarray(...TEST_BYTES.pixels), labels: bytes.subarray(...TEST_BYTES.labels) }, n);
};
/** Test digit `n` (0…1,999) from the test part alone: its pixel bytes and labels (TEST_BYTES of digits.bin). */
export function testDigitOf(part: { pixels: Uint8Array; labels: Uint8Array }, n: number): { pixels: Float32Array; label: number } {
  if (!(Number.isInteger(n) && n >= 0 && n < TEST_DIGITS)) throw new RangeError(`there is no test digit ${n} (0–${TEST_DIGITS - 1})`);
  return { pixels: Float32Array.from(part.pixels.subarray(n * PIXELS, (n + 1) * PIXELS), (v) => v / 255), label: part.labels[n] };
}

/** The two datasets the trainer reads. */
export function digitSets(bytes: Uint8Array): { train: Dataset; test: Dataset } {
  expectDigitFile(bytes);
  const set = (start: number, count: number): Dataset => ({
    inputs: Float32Array.from(bytes.subarray(start * PIXELS, (start + count) * PIXELS), (v) => v / 255),
    labels: Int32Array.from(bytes.subarray(DIGITS * PIXELS + start, DIGITS * PIXELS + start + count)),
    sampleShape: [1, 28, 28], classes: 10,
  });
  return { train: set(0, TRAIN_DIGITS), test: set(TRAIN_DIGITS, TEST_DIGITS) };
}
