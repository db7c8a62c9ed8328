// Exercise 20: finite-difference gradient checking. See README.md.
export type Scalar = (x: number[]) => number;

/** (f(x + h·e_i) − f(x − h·e_i)) / 2h for every i; the caller's x is left unchanged. */
export function numericGradient(f: Scalar, x: number[], h = 1e-5): number[] {
  // TODO
  throw new Error('not implemented');
}

/** max_i |a_i − b_i| / max(|a_i|, |b_i|), an entry counting 0 when both are 0. */
export function maxRelativeError(a: number[], b: number[]): number {
  // TODO
  throw new Error('not implemented');
}

/** How far an analytic gradient is from the numeric one: maxRelativeError(gradient(x), numericGradient(f, x, h)). */
export function checkGradient(f: Scalar, gradient: (x: number[]) => number[], x: number[], h = 1e-5): number {
  // TODO
  throw new Error('not implemented');
}
