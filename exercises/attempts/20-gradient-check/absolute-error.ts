// attempt: absolute error instead of relative
// verdict: fail
// hint: that is the absolute error
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  const w = x.slice();
  return x.map((xi, i) => { w[i] = xi + h; const p = f(w); w[i] = xi - h; const m = f(w); w[i] = xi; return (p - m) / (2 * h); });
}
export function maxRelativeError(a: number[], b: number[]): number {
  return Math.max(...a.map((ai, i) => Math.abs(ai - b[i])));
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x.slice()), numericGradient(f, x, h));
