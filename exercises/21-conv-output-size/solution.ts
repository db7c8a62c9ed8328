// Reference solution: output sizes, TensorFlow 'same' padding and parameter counts.
export type Padding = number | 'valid' | 'same';

export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(n / s);        // independent of k
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - k) / s) + 1;             // +1: the first position; floor: no partial window
}

export function samePadding(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);                  // the odd pixel goes after
  return [before, total - before];
}

export function convParameters(C: number, K: number, kh: number, kw: number): number {
  return K * (C * kh * kw + 1);                          // +1: one bias per kernel
}
