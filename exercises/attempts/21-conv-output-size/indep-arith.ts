// attempt: maps 'valid' to p = 0 and 'same' to ceil(n/s); total padding clamped at 0, odd pixel after
// verdict: pass
export type Padding = number | 'valid' | 'same';

export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(n / s);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - k) / s) + 1;
}

export function samePadding(n: number, k: number, s: number): [number, number] {
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + k - n, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function convParameters(C: number, K: number, kh: number, kw: number): number {
  return K * (C * kh * kw) + K;
}
