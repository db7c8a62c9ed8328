// Exercise 06: softmax. See README.md.
/** Probabilities from logits: p_i = e^(z_i) / Σ_j e^(z_j), computed so that [1000, 1001, 1002] works. */
export function softmax(z: number[]): number[] {
  // TODO
  throw new Error('not implemented');
}
