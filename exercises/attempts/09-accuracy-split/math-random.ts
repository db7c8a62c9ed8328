// attempt: shuffles with Math.random instead of the generator it was given (not reproducible)
// verdict: fail
// hint: use only the random() you are given
export function accuracy(predicted: number[], labels: number[]): number {
  return labels.filter((l, n) => predicted[n] === l).length / labels.length;
}
export function trainTestSplit(n: number, testFraction: number, random: () => number) {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) { const j = Math.floor(Math.random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
  const testCount = Math.round(n * testFraction);
  return { train: order.slice(0, n - testCount), test: order.slice(n - testCount) };
}
