// attempt: counts the predictions that differ from their labels
// verdict: fail
// hint: that is the error rate
/** Fraction of predictions equal to their labels, in [0, 1]. */
export function accuracy(predicted: number[], labels: number[]): number {
  if (predicted.length !== labels.length) throw new RangeError(`accuracy: ${predicted.length} predictions but ${labels.length} labels`);
  return labels.filter((label, n) => predicted[n] !== label).length / labels.length;
}

/** Shuffle the indices 0..n−1 with `random` (Fisher–Yates), then the last round(n·testFraction) are the test set. */
export function trainTestSplit(n: number, testFraction: number, random: () => number): { train: number[]; test: number[] } {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const testCount = Math.round(n * testFraction);
  return { train: order.slice(0, n - testCount), test: order.slice(n - testCount) };
}
