// attempt: explicit triple loop for the product, b accumulated in place
// verdict: pass
export function collapse(W1: number[][], b1: number[], W2: number[][], b2: number[]) {
  const out = W2.length, hidden = W1.length, inputs = W1[0].length;
  const W: number[][] = [], b: number[] = [];
  for (let o = 0; o < out; o++) {
    W.push(new Array(inputs).fill(0));
    b.push(b2[o]);
    for (let h = 0; h < hidden; h++) {
      b[o] += W2[o][h] * b1[h];
      for (let i = 0; i < inputs; i++) W[o][i] += W2[o][h] * W1[h][i];
    }
  }
  return { W, b };
}
export function twoLayers(x: number[], W1: number[][], b1: number[], W2: number[][], b2: number[]) {
  const h = W1.map((row, j) => row.reduce((s, w, i) => s + w * x[i], b1[j]));
  return W2.map((row, o) => row.reduce((s, w, j) => s + w * h[j], b2[o]));
}
