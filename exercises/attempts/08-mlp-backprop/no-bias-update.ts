// attempt: an SGD loop that never updates the biases (still about 90 % on Iris)
// verdict: fail
// hint: the biases are parameters too
import { mlpForward, type MlpParams } from '../../07-mlp-forward/solution.js';

export function mlpGradient(x: number[], t: number[], params: MlpParams) {
  const { h, yHat } = mlpForward(x, params);
  const K = yHat.length;
  const dz2 = yHat.map((y, k) => (2 / K) * (y - t[k]) * y * (1 - y));
  const dW2 = dz2.map((d) => h.map((hj) => d * hj));
  const dh = h.map((_, j) => dz2.reduce((s, d, k) => s + d * params.W2[k][j], 0));
  const dz1 = dh.map((d, j) => d * h[j] * (1 - h[j]));
  const dW1 = dz1.map((d) => x.map((xi) => d * xi));
  return { dW1, db1: dz1, dW2, db2: dz2 };
}

export function trainSgd(inputs: number[][], targets: number[][], params: MlpParams, learningRate: number, epochs: number): MlpParams {
  for (let epoch = 0; epoch < epochs; epoch++) {
    inputs.forEach((x, n) => {
      const g = mlpGradient(x, targets[n], params);
      params.W1.forEach((row, j) => row.forEach((_, i) => { row[i] -= learningRate * g.dW1[j][i]; }));
      params.W2.forEach((row, k) => row.forEach((_, j) => { row[j] -= learningRate * g.dW2[k][j]; }));
    });
  }
  return params;
}
