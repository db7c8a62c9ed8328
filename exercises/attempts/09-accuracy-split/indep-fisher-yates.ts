// attempt: counts matches in a loop; Fisher–Yates shuffle (backwards) of 0..n−1, first round(n·f) go to test
// verdict: pass
export function accuracy(predicted: number[], labels: number[]): number {
  let hit = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) hit++;
  return labels.length === 0 ? 0 : hit / labels.length;
}

export function trainTestSplit(n: number, testFraction: number, random: () => number): { train: number[]; test: number[] } {
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  const nTest = Math.round(n * testFraction);
  return { test: idx.slice(0, nTest), train: idx.slice(nTest) };
}
