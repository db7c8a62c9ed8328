// Exercise 13: tanh and its derivative. See README.md.
/** tanh of every value; finite for every finite z (z = ±800 included). */
export function tanh(z: number[]): number[] {
  // TODO
  throw new Error('not implemented');
}

/** d tanh(z)/dz = 1 − tanh²(z) for every value. */
export function tanhDerivative(z: number[]): number[] {
  // TODO
  throw new Error('not implemented');
}
