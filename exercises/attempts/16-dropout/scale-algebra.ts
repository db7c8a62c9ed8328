// attempt: the scale written rate/(rate − rate²), equal to 1/(1 − rate) except at rate 0
// verdict: fail
// hint: NaN: with rate 0
/** Training: y_i = 0 with probability rate, else x_i / (1 − rate). Evaluation: y = x (a copy). */
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  if (!training) return x.slice();
  const scale = rate / (rate - rate * rate);                          // keeps E[y] = x
  return x.map((v) => (random() < rate ? 0 : v * scale)); // one draw per value, in order
}
