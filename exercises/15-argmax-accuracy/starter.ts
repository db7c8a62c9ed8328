// Exercise 15: arg-max and accuracy from probabilities. See README.md.
/** The index of the largest value (the first one on ties). */
export function argmax(p: number[]): number {
  // TODO
  throw new Error('not implemented');
}

/** Fraction of rows of P ([N][K]) whose arg-max equals the label. */
export function accuracyFromProbabilities(P: number[][], labels: number[]): number {
  // TODO
  throw new Error('not implemented');
}
