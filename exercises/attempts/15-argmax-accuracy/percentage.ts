// attempt: accuracy as a percentage
// verdict: fail
// hint: not a percentage
/** The index of the largest value; `>` (not `>=`) keeps the first one on ties. */
export function argmax(p: number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

/** (1/N) Σ [argmax(P[n]) = labels[n]]. */
export function accuracyFromProbabilities(P: number[][], labels: number[]): number {
  return P.filter((row, n) => argmax(row) === labels[n]).length / labels.length * 100;
}
