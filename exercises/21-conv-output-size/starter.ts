// Exercise 21: conv output-size arithmetic. See README.md.
export type Padding = number | 'valid' | 'same';

/** Output size along one axis: floor((n + 2p − k)/s) + 1; 'valid' is p = 0; 'same' is ceil(n/s). */
export function outputSize(n: number, k: number, s: number, padding: Padding): number {
  // TODO
  throw new Error('not implemented');
}

/** TensorFlow's 'same' padding along one axis: [before, after], total = max((ceil(n/s) − 1)·s + k − n, 0). */
export function samePadding(n: number, k: number, s: number): [number, number] {
  // TODO
  throw new Error('not implemented');
}

/** Weights and biases of a conv layer: K·(C·kh·kw + 1). */
export function convParameters(C: number, K: number, kh: number, kw: number): number {
  // TODO
  throw new Error('not implemented');
}
