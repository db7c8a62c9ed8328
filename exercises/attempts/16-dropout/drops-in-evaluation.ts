// attempt: ignores the training flag and drops always
// verdict: fail
// hint: values were dropped in evaluation
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  return x.map((v) => (random() < rate ? 0 : v / (1 - rate)));
}
