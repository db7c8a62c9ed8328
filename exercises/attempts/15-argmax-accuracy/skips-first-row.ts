// attempt: counts the right rows from n = 1, skipping the first
// verdict: fail
// hint: one or two rows off
export function argmax(p: number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}
export function accuracyFromProbabilities(P: number[][], labels: number[]): number {
  let right = 0;
  for (let n = 1; n < P.length; n++) if (argmax(P[n]) === labels[n]) right++;
  return right / labels.length;
}
