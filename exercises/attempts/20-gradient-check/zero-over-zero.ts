// attempt: no special case when both entries are 0
// verdict: fail
// hint: NaN: 0/0
export type Scalar = (x: number[]) => number;

/** Nudge one coordinate at a time on a copy; the caller's x is never touched. */
export function numericGradient(f: Scalar, x: number[], h = 1e-5): number[] {
  const work = x.slice();
  return x.map((xi, i) => {
    work[i] = xi + h; const plus = f(work.slice());
    work[i] = xi - h; const minus = f(work.slice());
    work[i] = xi;                                   // put it back before the next coordinate
    return (plus - minus) / (2 * h);
  });
}

/** Entry-wise |a − b| / max(|a|, |b|); both 0 counts as 0. */
export function maxRelativeError(a: number[], b: number[]): number {
  return a.reduce((worst, ai, i) => {
    const scale = Math.max(Math.abs(ai), Math.abs(b[i]));
    return Math.max(worst, Math.abs(ai - b[i]) / scale);
  }, 0);
}

export function checkGradient(f: Scalar, gradient: (x: number[]) => number[], x: number[], h = 1e-5): number {
  return maxRelativeError(gradient(x.slice()), numericGradient(f, x, h));
}
