// attempt: evaluation scales x by 1/(1 − rate) as well
// verdict: fail
// hint: scaling belongs to training only
/** Training: y_i = 0 with probability rate, else x_i / (1 − rate). Evaluation: y = x (a copy). */
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  const scale = 1 / (1 - rate);
  if (!training) return x.map((v) => v * scale);                          // keeps E[y] = x
  return x.map((v) => (random() < rate ? 0 : v * scale)); // one draw per value, in order
}
