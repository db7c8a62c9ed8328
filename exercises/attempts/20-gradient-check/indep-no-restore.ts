// attempt: central difference that nudges x[i] in place (+h, then −2h) and never puts it back
// verdict: fail
// hint: restore
export type Scalar = (x: number[]) => number;

export function numericGradient(f: Scalar, x: number[], h = 1e-5): number[] {
  const g: number[] = [];
  for (let i = 0; i < x.length; i++) {
    x[i] += h;
    const fp = f(x);
    x[i] -= 2 * h;
    const fm = f(x);
    g.push((fp - fm) / (2 * h));
  }
  return g;
}

export function maxRelativeError(a: number[], b: number[]): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.max(Math.abs(a[i]), Math.abs(b[i]));
    if (d > 0) worst = Math.max(worst, Math.abs(a[i] - b[i]) / d);
  }
  return worst;
}

export function checkGradient(f: Scalar, gradient: (x: number[]) => number[], x: number[], h = 1e-5): number {
  return maxRelativeError(gradient(x), numericGradient(f, x, h));
}
