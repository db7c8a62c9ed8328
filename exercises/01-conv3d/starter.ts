// Exercise 01: 3-D convolution over a kernel stack. See README.md for the maths.
export type Maps = number[][][];      // [C][H][W]
export type Kernels = number[][][][]; // [K][C][kh][kw]

/** input [C,H,W], kernels [K,C,kh,kw], bias [K] → [K, Ho, Wo] with Ho = floor((H + 2·padding − kh)/stride) + 1. */
export function conv3d(input: Maps, kernels: Kernels, bias: number[], stride = 1, padding = 0): Maps {
  // TODO: one output map per kernel; each value is the bias plus the sum over channels of window × kernel
  throw new Error('not implemented');
}
