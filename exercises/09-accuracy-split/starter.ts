// Exercise 09: accuracy and a train/test split. See README.md.
/** Fraction of predictions equal to their labels, in [0, 1]. */
export function accuracy(predicted: number[], labels: number[]): number {
  throw new Error('not implemented');
}

/** Indices 0..n−1 split at random (use `random()`, uniform in [0,1)) into train and test; round(n·testFraction) go to test. */
export function trainTestSplit(n: number, testFraction: number, random: () => number): { train: number[]; test: number[] } {
  throw new Error('not implemented');
}
