// attempt: 'same' padding puts the odd extra pixel before (ceil(total/2) before) instead of after
// verdict: fail
// hint: after
export type Padding = number | 'valid' | 'same';

export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(n / s);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - k) / s) + 1;
}

export function samePadding(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  const before = Math.ceil(total / 2);
  return [before, total - before];
}

export function convParameters(C: number, K: number, kh: number, kw: number): number {
  return K * (C * kh * kw + 1);
}
