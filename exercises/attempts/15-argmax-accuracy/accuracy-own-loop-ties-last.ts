// attempt: argmax right, but accuracy finds each row's class with its own loop that keeps the last of tied values
// verdict: fail
// hint: ties go to the first largest
export function argmax(p: number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}
export function accuracyFromProbabilities(P: number[][], labels: number[]): number {
  let right = 0;
  P.forEach((row, n) => {
    let best = 0;
    for (let k = 0; k < row.length; k++) if (row[k] >= row[best]) best = k;
    if (best === labels[n]) right++;
  });
  return right / labels.length;
}
