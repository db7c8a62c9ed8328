// attempt: twoLayers forgets the first bias
// verdict: fail
// hint: the first bias b1 is missing
const affine = (W: number[][], x: number[], b: number[]) => W.map((row, o) => row.reduce((s, w, i) => s + w * x[i], b[o]));

/** W[o][i] = Σ_h W2[o][h]·W1[h][i];  b = W2·b1 + b2. */
export function collapse(W1: number[][], b1: number[], W2: number[][], b2: number[]): { W: number[][]; b: number[] } {
  const W = W2.map((row) => W1[0].map((_, i) => row.reduce((s, w, h) => s + w * W1[h][i], 0)));
  return { W, b: affine(W2, b1, b2) };
}

/** The two layers in turn. */
export function twoLayers(x: number[], W1: number[][], b1: number[], W2: number[][], b2: number[]): number[] {
  return affine(W2, affine(W1, x, b1.map(() => 0)), b2);
}
