// attempt: the relative error without an absolute value on a − b
// verdict: fail
// hint: take the absolute value
export function numericGradient(f: (x: number[]) => number, x: number[], h = 1e-5): number[] {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) { const c = [...x]; c[i] = x[i] + h; const p = f(c); c[i] = x[i] - h; out.push((p - f(c)) / (2 * h)); }
  return out;
}
export function maxRelativeError(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    if (scale > 0) worst = Math.max(worst, (a[i] - b[i]) / scale);
  }
  return worst;
}
export const checkGradient = (f: (x: number[]) => number, g: (x: number[]) => number[], x: number[], h = 1e-5) => maxRelativeError(g(x), numericGradient(f, x, h));
