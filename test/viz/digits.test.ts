// digits.bin's layout: a test digit read from the test part alone (the two ranges the class map fetches) is the same
// as the one read from the whole file by its index among all 10,000.
import { describe, it, expect } from 'vitest';
import { writeDigits, digitAt, testDigitAt, testDigitOf, TEST_BYTES, TRAIN_DIGITS, TEST_DIGITS, PIXELS, DIGIT_FILE_BYTES } from '../../viz/src/lib/digits.js';

describe('digits.bin test part', () => {
  const set = (count: number, salt: number) => ({ inputs: Float32Array.from({ length: count * PIXELS }, (_, i) => ((i * 7919 + salt) % 256) / 255), labels: Int32Array.from({ length: count }, (_, n) => (n * 3 + salt) % 10) });
  const bytes = writeDigits(set(TRAIN_DIGITS, 1), set(TEST_DIGITS, 5));
  const part = { pixels: bytes.slice(...TEST_BYTES.pixels), labels: bytes.slice(...TEST_BYTES.labels) };

  it('reads the same digit and label as the whole file', () => {
    expect(part.pixels.length).toBe(TEST_DIGITS * PIXELS);
    expect(part.labels.length).toBe(TEST_DIGITS);
    expect(TEST_BYTES.labels[1]).toBe(DIGIT_FILE_BYTES);
    for (const n of [0, 1, 777, TEST_DIGITS - 1]) {
      const whole = digitAt(bytes, TRAIN_DIGITS + n);
      expect(testDigitOf(part, n)).toEqual(whole);
      expect(testDigitAt(bytes, n)).toEqual(whole);
      expect(whole.label).toBe((n * 3 + 5) % 10);
    }
  });

  it('refuses a digit that is not there, and a file of the wrong size', () => {
    expect(() => testDigitOf(part, TEST_DIGITS)).toThrow(/there is no test digit 2000 \(0–1999\)/);
    expect(() => testDigitOf(part, -1)).toThrow(/there is no test digit -1/);
    expect(() => testDigitOf(part, 1.5)).toThrow(/there is no test digit 1.5/);
    expect(() => testDigitAt(bytes.subarray(1), 0)).toThrow(/hold 7849999 bytes, expected 7850000/);
  });
});
