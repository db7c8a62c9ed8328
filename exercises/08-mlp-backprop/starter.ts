// Exercise 08: MLP backpropagation and SGD. See README.md. You may import your exercise-07 forward pass:
// import { mlpForward } from '../07-mlp-forward/starter.js';
export interface MlpParams { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }

/** dL/dW1 [10][4], dL/db1 [10], dL/dW2 [3][10], dL/db2 [3] of L = (1/K) Σ (ŷ − t)² for one sample. */
export function mlpGradient(x: number[], t: number[], params: MlpParams): { dW1: number[][]; db1: number[]; dW2: number[][]; db2: number[] } {
  // TODO
  throw new Error('not implemented');
}

/** SGD with batch size 1: for each epoch, for each sample in order, params −= learningRate · gradient. Returns params. */
export function trainSgd(inputs: number[][], targets: number[][], params: MlpParams, learningRate: number, epochs: number): MlpParams {
  // TODO
  throw new Error('not implemented');
}
