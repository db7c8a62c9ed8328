// attempt: shuffles by sorting on one random key per index; test set taken from the front
// verdict: pass
export function accuracy(predicted: number[], labels: number[]): number {
  let right = 0;
  for (let n = 0; n < labels.length; n++) if (predicted[n] === labels[n]) right++;
  return right / labels.length;
}
export function trainTestSplit(n: number, testFraction: number, random: () => number) {
  const keyed = Array.from({ length: n }, (_, i) => ({ i, key: random() })).sort((a, b) => a.key - b.key).map((e) => e.i);
  const testCount = Math.round(n * testFraction);
  return { test: keyed.slice(0, testCount), train: keyed.slice(testCount) };
}
