// attempt: p.indexOf(Math.max(...p)) (indexOf finds the first), accuracy with a counter
// verdict: pass
export const argmax = (p: number[]) => p.indexOf(Math.max(...p));
export function accuracyFromProbabilities(P: number[][], labels: number[]): number {
  let right = 0;
  P.forEach((row, n) => { if (argmax(row) === labels[n]) right++; });
  return right / P.length;
}
