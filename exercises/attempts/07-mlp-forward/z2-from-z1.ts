// attempt: the second layer reads z1 instead of h = σ(z1)
// verdict: fail
// hint: z2 must use h
export interface MlpParams { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const affine = (W: number[][], x: number[], b: number[]) => W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b[o]));
export function mlpForward(x: number[], p: MlpParams) {
  const z1 = affine(p.W1, x, p.b1), h = z1.map(sigmoid), z2 = affine(p.W2, z1, p.b2);
  return { z1, h, z2, yHat: z2.map(sigmoid) };
}
