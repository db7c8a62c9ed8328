// attempt: dW1 built as x δ1ᵀ, shape [4][10]
// verdict: fail
// hint: dW1 is transposed
import { mlpForward, type MlpParams } from '../../07-mlp-forward/solution.js';
export type { MlpParams };

/** L = (1/K) Σ_k (ŷ_k − t_k)²; returns dL/dW1, dL/db1, dL/dW2, dL/db2 for one sample. */
export function mlpGradient(x: number[], t: number[], params: MlpParams) {
  const { h, yHat } = mlpForward(x, params);
  const K = yHat.length;
  const dz2 = yHat.map((y, k) => (2 / K) * (y - t[k]) * y * (1 - y));                 // dL/dŷ · σ'(z2)
  const dW2 = dz2.map((d) => h.map((hj) => d * hj));
  const dh = h.map((_, j) => dz2.reduce((s, d, k) => s + d * params.W2[k][j], 0));     // W2ᵀ dz2
  const dz1 = dh.map((d, j) => d * h[j] * (1 - h[j]));                                 // · σ'(z1)
  const dW1 = x.map((xi) => dz1.map((d) => d * xi));
  return { dW1, db1: dz1, dW2, db2: dz2 };
}

/** One SGD step per sample (batch size 1), `epochs` passes in the given order. */
export function trainSgd(inputs: number[][], targets: number[][], params: MlpParams, learningRate: number, epochs: number): MlpParams {
  for (let epoch = 0; epoch < epochs; epoch++) {
    inputs.forEach((x, n) => {
      const g = mlpGradient(x, targets[n], params);
      params.W1.forEach((row, j) => row.forEach((_, i) => { row[i] -= learningRate * g.dW1[i][j]; }));
      params.b1.forEach((_, j) => { params.b1[j] -= learningRate * g.db1[j]; });
      params.W2.forEach((row, k) => row.forEach((_, j) => { row[j] -= learningRate * g.dW2[k][j]; }));
      params.b2.forEach((_, k) => { params.b2[k] -= learningRate * g.db2[k]; });
    });
  }
  return params;
}
