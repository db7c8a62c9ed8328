// attempt: forgets the second bias: z2 = W2·h
// verdict: fail
// hint: the bias b2 is missing
export interface MlpParams { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }
export interface MlpForward { z1: number[]; h: number[]; z2: number[]; yHat: number[] }

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const affine = (W: number[][], x: number[], b: number[]) => W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b[o]));

/** z1 = W1 x + b1, h = σ(z1), z2 = W2 h + b2, ŷ = σ(z2). */
export function mlpForward(x: number[], { W1, b1, W2, b2 }: MlpParams): MlpForward {
  const z1 = affine(W1, x, b1);
  const h = z1.map(sigmoid);
  const z2 = affine(W2, h, b2.map(() => 0));
  return { z1, h, z2, yHat: z2.map(sigmoid) };
}
