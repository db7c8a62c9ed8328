// attempt: 'same' computed by padding with samePadding and reusing the general formula; parameters as weights + biases
// verdict: pass
export type Padding = number | 'valid' | 'same';
export function samePadding(n: number, k: number, s: number): [number, number] {
  const out = Math.ceil(n / s), total = Math.max(0, (out - 1) * s + k - n);
  return [total >> 1, total - (total >> 1)];
}
export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  const [before, after] = padding === 'same' ? samePadding(n, k, s) : padding === 'valid' ? [0, 0] : [padding, padding];
  return Math.floor((n + before + after - k) / s) + 1;
}
export const convParameters = (C: number, K: number, kh: number, kw: number) => K * C * kh * kw + K;
