// attempt: nudges the caller's x and never puts the entry back
// verdict: fail
// hint: x[i] is not put back
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  return x.map((xi, i) => { x[i] = xi + h; const p = f(x); x[i] = xi - h; const m = f(x); return (p - m) / (2 * h); });
}
export function maxRelativeError(a: number[], b: number[]): number {
  return a.reduce((w, ai, i) => { const s = Math.max(Math.abs(ai), Math.abs(b[i])); return Math.max(w, s === 0 ? 0 : Math.abs(ai - b[i]) / s); }, 0);
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x.slice()), numericGradient(f, x, h));
