// attempt: keeps a value when random() < rate (rate read as the keep probability)
// verdict: fail
// hint: rate is the fraction *dropped*
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  return training ? x.map((v) => (random() < rate ? v / (1 - rate) : 0)) : x.slice();
}
