// attempt: plain dropout, survivors not scaled
// verdict: fail
// hint: the survivors are not scaled
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  return training ? x.map((v) => (random() < rate ? 0 : v)) : x.slice();
}
