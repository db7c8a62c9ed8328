// attempt: drops when random() < rate but forgets to scale the survivors by 1/(1 − rate)
// verdict: fail
// hint: 1/(1 − rate)
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  if (!training) return x.slice();
  return x.map((v) => (random() < rate ? 0 : v));
}
