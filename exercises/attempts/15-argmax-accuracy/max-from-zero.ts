// attempt: the running maximum starts at 0, so negative scores (logits) never beat it
// verdict: fail
// hint: starts at 0
export function argmax(p: number[]): number {
  let best = 0, bestValue = 0;
  for (let k = 0; k < p.length; k++) if (p[k] > bestValue) { bestValue = p[k]; best = k; }
  return best;
}
export const accuracyFromProbabilities = (P: number[][], labels: number[]) => P.filter((row, n) => argmax(row) === labels[n]).length / labels.length;
