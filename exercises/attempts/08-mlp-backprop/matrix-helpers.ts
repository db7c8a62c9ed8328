// attempt: builds on exercise 07's forward pass (the reference one), with small matrix helpers and new arrays per step
// verdict: pass
import { mlpForward, type MlpParams } from '../../07-mlp-forward/solution.js';

const outer = (a: number[], b: number[]) => a.map((ai) => b.map((bj) => ai * bj));
const transposeTimes = (W: number[][], v: number[]) => W[0].map((_, j) => W.reduce((s, row, k) => s + row[j] * v[k], 0));

export function mlpGradient(x: number[], t: number[], params: MlpParams) {
  const { h, yHat } = mlpForward(x, params);
  const delta2 = yHat.map((y, k) => (2 / yHat.length) * (y - t[k]) * y * (1 - y));
  const delta1 = transposeTimes(params.W2, delta2).map((d, j) => d * h[j] * (1 - h[j]));
  return { dW1: outer(delta1, x), db1: delta1, dW2: outer(delta2, h), db2: delta2 };
}

export function trainSgd(inputs: number[][], targets: number[][], params: MlpParams, learningRate: number, epochs: number): MlpParams {
  let p = params;
  const step = (a: number[], g: number[]) => a.map((v, i) => v - learningRate * g[i]);
  for (let e = 0; e < epochs; e++) {
    for (let n = 0; n < inputs.length; n++) {
      const g = mlpGradient(inputs[n], targets[n], p);
      p = { W1: p.W1.map((row, j) => step(row, g.dW1[j])), b1: step(p.b1, g.db1), W2: p.W2.map((row, k) => step(row, g.dW2[k])), b2: step(p.b2, g.db2) };
    }
  }
  return p;
}
