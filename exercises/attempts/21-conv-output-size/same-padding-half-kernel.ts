// attempt: samePadding returns ⌊k/2⌋ before and after
// verdict: fail
// hint: odd kernel at stride 1 only
export type Padding = number | 'valid' | 'same';
export const samePadding = (n: number, k: number, s: number): [number, number] => [Math.floor(k / 2), Math.floor(k / 2)];
export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  if (padding === 'same') return Math.ceil(n / s);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((n + 2 * p - k) / s) + 1;
}
export const convParameters = (C: number, K: number, kh: number, kw: number) => K * (C * kh * kw + 1);
