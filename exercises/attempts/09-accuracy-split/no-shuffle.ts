// attempt: the first 30 indices are the test set, no shuffle (all one species on Iris)
// verdict: fail
// hint: not shuffled
export function accuracy(predicted: number[], labels: number[]): number {
  return labels.filter((l, n) => predicted[n] === l).length / labels.length;
}
export function trainTestSplit(n: number, testFraction: number, random: () => number) {
  const indices = Array.from({ length: n }, (_, i) => i), testCount = Math.round(n * testFraction);
  return { test: indices.slice(0, testCount), train: indices.slice(testCount) };
}
