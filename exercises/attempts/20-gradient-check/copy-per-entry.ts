// attempt: builds x ± h·e_i as fresh arrays with map; relative error with a loop
// verdict: pass
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  return x.map((_, i) => (f(x.map((v, j) => (j === i ? v + h : v))) - f(x.map((v, j) => (j === i ? v - h : v)))) / (2 * h));
}
export function maxRelativeError(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) worst = Math.max(worst, d / Math.max(Math.abs(a[i]), Math.abs(b[i])));
  }
  return worst;
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x), numericGradient(f, x, h));
