// Exercise 11: backward of conv and max pool. See README.md.
/** Gradients of Σ out·dOut for out = conv3d(input, kernels) + bias (stride 1, no padding). */
export function conv3dBackward(input: number[][][], kernels: number[][][][], dOut: number[][][]): { dInput: number[][][]; dKernels: number[][][][]; dBias: number[] } {
  throw new Error('not implemented');
}

/** dx [C][H][W]: each window's gradient goes to its arg-max. */
export function maxPoolBackward(x: number[][][], dOut: number[][][], size: number, stride: number): number[][][] {
  throw new Error('not implemented');
}
