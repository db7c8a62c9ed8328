// attempt: forward difference (f(x+h) − f(x))/h
// verdict: fail
// hint: that is the forward difference
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  const w = x.slice(), base = f(w);
  return x.map((xi, i) => { w[i] = xi + h; const p = f(w); w[i] = xi; return (p - base) / h; });
}
export function maxRelativeError(a: number[], b: number[]): number {
  return a.reduce((w, ai, i) => { const s = Math.max(Math.abs(ai), Math.abs(b[i])); return Math.max(w, s === 0 ? 0 : Math.abs(ai - b[i]) / s); }, 0);
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x.slice()), numericGradient(f, x, h));
