// attempt: W = W1·W2 (the order in which the layers are applied, written left to right)
// verdict: fail
// hint: W1·W2 is the wrong order
const product = (A: number[][], B: number[][]) => A.map((row) => B[0].map((_, j) => row.reduce((s, a, k) => s + a * (B[k]?.[j] ?? 0), 0)));
export function collapse(W1: number[][], b1: number[], W2: number[][], b2: number[]) {
  return { W: product(W1, W2), b: W2.map((row, o) => row.reduce((s, w, h) => s + w * b1[h], b2[o])) };
}
export function twoLayers(x: number[], W1: number[][], b1: number[], W2: number[][], b2: number[]) {
  const h = W1.map((row, j) => row.reduce((s, w, i) => s + w * x[i], b1[j]));
  return W2.map((row, o) => row.reduce((s, w, j) => s + w * h[j], b2[o]));
}
