// attempt: true convolution (the kernel flipped), as in a signal-processing course
// verdict: fail
// hint: the kernel is flipped
export function conv3d(input: number[][][], kernels: number[][][][], bias: number[], stride = 1, padding = 0): number[][][] {
  const H = input[0].length, W = input[0][0].length, kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const outH = Math.floor((H + 2 * padding - kh) / stride) + 1, outW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const at = (c: number, y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? 0 : input[c][y][x]);
  return kernels.map((kernel, k) => Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
    let sum = bias[k];
    for (let c = 0; c < input.length; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      sum += at(c, i * stride + u - padding, j * stride + v - padding) * kernel[c][kh - 1 - u][kw - 1 - v];
    }
    return sum;
  })));
}
