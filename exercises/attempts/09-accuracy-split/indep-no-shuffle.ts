// attempt: takes the last round(n·f) indices as the test set without shuffling (random is ignored)
// verdict: fail
// hint: shuffle
export function accuracy(predicted: number[], labels: number[]): number {
  return predicted.filter((p, i) => p === labels[i]).length / labels.length;
}

export function trainTestSplit(n: number, testFraction: number, random: () => number): { train: number[]; test: number[] } {
  const idx = Array.from({ length: n }, (_, i) => i);
  const nTest = Math.round(n * testFraction);
  return { train: idx.slice(0, n - nTest), test: idx.slice(n - nTest) };
}
