// attempt: draws the test indices at random with replacement and keeps every index for training
// verdict: fail
// hint: a sample is in both sets
export function accuracy(predicted: number[], labels: number[]): number {
  return labels.filter((l, n) => predicted[n] === l).length / labels.length;
}
export function trainTestSplit(n: number, testFraction: number, random: () => number) {
  const test = Array.from({ length: Math.round(n * testFraction) }, () => Math.floor(random() * n));
  return { train: Array.from({ length: n }, (_, i) => i), test };
}
