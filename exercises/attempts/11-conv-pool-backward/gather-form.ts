// attempt: dInput gathered pixel by pixel (each pixel sums over the windows that read it); max pool by arg-max index
// verdict: pass
export function conv3dBackward(input: number[][][], kernels: number[][][][], dOut: number[][][]) {
  const C = input.length, H = input[0].length, W = input[0][0].length, kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const Ho = dOut[0].length, Wo = dOut[0][0].length;
  const dInput = input.map((map, c) => map.map((row, y) => row.map((_, x) => {
    let sum = 0;
    for (let k = 0; k < kernels.length; k++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      const i = y - u, j = x - v;
      if (i >= 0 && i < Ho && j >= 0 && j < Wo) sum += dOut[k][i][j] * kernels[k][c][u][v];
    }
    return sum;
  })));
  const dKernels = kernels.map((kernel, k) => kernel.map((channel, c) => channel.map((row, u) => row.map((_, v) => {
    let sum = 0;
    for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) sum += dOut[k][i][j] * input[c][i + u][j + v];
    return sum;
  }))));
  const dBias = dOut.map((map) => map.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0));
  void C; void H; void W;
  return { dInput, dKernels, dBias };
}

export function maxPoolBackward(x: number[][][], dOut: number[][][], size: number, stride: number): number[][][] {
  const dx = x.map((map) => map.map((row) => new Array<number>(row.length).fill(0)));
  for (let c = 0; c < dOut.length; c++) for (let i = 0; i < dOut[c].length; i++) for (let j = 0; j < dOut[c][i].length; j++) {
    const window = Array.from({ length: size * size }, (_, n) => x[c][i * stride + Math.floor(n / size)][j * stride + (n % size)]);
    const n = window.indexOf(Math.max(...window));
    dx[c][i * stride + Math.floor(n / size)][j * stride + (n % size)] += dOut[c][i][j];
  }
  return dx;
}
