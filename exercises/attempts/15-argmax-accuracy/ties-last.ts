// attempt: >= in the comparison, so the last of tied values wins
// verdict: fail
// hint: on a tie the last index won
export function argmax(p: number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] >= p[best]) best = k;
  return best;
}
export const accuracyFromProbabilities = (P: number[][], labels: number[]) => P.filter((row, n) => argmax(row) === labels[n]).length / labels.length;
