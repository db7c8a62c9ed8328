// attempt: the original (non-inverted) dropout: no scaling in training, × (1 − rate) in evaluation
// verdict: fail
// hint: that is the non-inverted form
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  return training ? x.map((v) => (random() < rate ? 0 : v)) : x.map((v) => v * (1 - rate));
}
