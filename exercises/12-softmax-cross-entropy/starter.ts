// Exercise 12: softmax with cross-entropy. See README.md.
/** −log softmax(z)[target], finite even when softmax(z)[target] underflows to 0. */
export function softmaxCrossEntropy(z: number[], target: number): number {
  throw new Error('not implemented');
}

/** dL/dz for one sample. */
export function softmaxCrossEntropyGradient(z: number[], target: number): number[] {
  throw new Error('not implemented');
}
