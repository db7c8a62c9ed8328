// attempt: training scales every value by 1/(1 − rate) but drops none
// verdict: fail
// hint: nothing was dropped
/** Training: y_i = 0 with probability rate, else x_i / (1 − rate). Evaluation: y = x (a copy). */
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  if (!training || rate === 0) return x.slice();
  const scale = 1 / (1 - rate);                          // keeps E[y] = x
  return x.map((v) => v * scale); // one draw per value, in order
}
