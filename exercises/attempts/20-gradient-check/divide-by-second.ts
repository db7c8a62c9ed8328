// attempt: the relative error divided by |b|, the second gradient, only
// verdict: fail
// hint: divided by one of the two only
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  return x.map((_, i) => { const p = x.slice(), m = x.slice(); p[i] += h; m[i] -= h; return (f(p) - f(m)) / (2 * h); });
}
export function maxRelativeError(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) if (b[i] !== 0 || a[i] !== 0) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) || 1));
  return worst;
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x), numericGradient(f, x, h));
