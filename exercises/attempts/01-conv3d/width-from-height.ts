// attempt: output width computed from the height (H and kh where W and kw belong)
// verdict: fail
// hint: output width is computed from the height
export function conv3d(input: number[][][], kernels: number[][][][], bias: number[], stride = 1, padding = 0): number[][][] {
  const H = input[0].length, W = input[0][0].length, kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const outH = Math.floor((H + 2 * padding - kh) / stride) + 1, outW = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const at = (c: number, y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? 0 : input[c][y][x]);
  return kernels.map((kernel, k) => Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
    let sum = bias[k];
    for (let c = 0; c < input.length; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      sum += at(c, i * stride + u - padding, j * stride + v - padding) * kernel[c][u][v];
    }
    return sum;
  })));
}
