// Reference solution: 3-D convolution (cross-correlation) over a kernel stack, written for reading.
export type Maps = number[][][];      // [C][H][W]
export type Kernels = number[][][][]; // [K][C][kh][kw]

/** out[k][i][j] = bias[k] + Σ_c Σ_u Σ_v padded[c][i·stride+u][j·stride+v] · kernels[k][c][u][v] */
export function conv3d(input: Maps, kernels: Kernels, bias: number[], stride = 1, padding = 0): Maps {
  const C = input.length, H = input[0].length, W = input[0][0].length;
  const kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const outH = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const outW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  const at = (c: number, y: number, x: number) => (y < 0 || y >= H || x < 0 || x >= W ? 0 : input[c][y][x]); // zero padding
  return kernels.map((kernel, k) =>
    Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
      let sum = bias[k];
      for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        sum += at(c, i * stride + u - padding, j * stride + v - padding) * kernel[c][u][v];
      }
      return sum;
    })));
}
