// Exercise 10: zero initialisation and Glorot. See README.md.
/** A [fanOut][fanIn] matrix: all zeros, or Glorot uniform in ±sqrt(6/(fanIn+fanOut)) drawn with random() ∈ [0,1). */
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  throw new Error('not implemented');
}

/** True when all rows of W1 (the hidden units' weights) are identical. */
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  throw new Error('not implemented');
}
