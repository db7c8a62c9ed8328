// Exercise 07: MLP forward pass. See README.md.
export interface MlpParams { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }
export interface MlpForward { z1: number[]; h: number[]; z2: number[]; yHat: number[] }

/** z1 = W1 x + b1, h = σ(z1), z2 = W2 h + b2, ŷ = σ(z2); return all four. */
export function mlpForward(x: number[], params: MlpParams): MlpForward {
  // TODO
  throw new Error('not implemented');
}
