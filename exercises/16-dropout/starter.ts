// Exercise 16: inverted dropout. See README.md.
/** Training: drop x[i] when random() < rate (one draw per value, in order), scale the rest by 1/(1 − rate). Evaluation: x unchanged. */
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  // TODO
  throw new Error('not implemented');
}
