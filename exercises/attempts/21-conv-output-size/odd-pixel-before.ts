// attempt: the odd padding pixel put before (top/left)
// verdict: fail
// hint: the odd pixel goes after
export type Padding = number | 'valid' | 'same';
export function samePadding(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.ceil(total / 2), total - Math.ceil(total / 2)];
}
export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(n / s);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - k) / s) + 1;
}
export const convParameters = (C: number, K: number, kh: number, kw: number) => K * (C * kh * kw + 1);
