// attempt: sends each window's gradient to its top-left pixel instead of its maximum
// verdict: fail
// hint: no window's maximum
export function conv3dBackward(input: number[][][], kernels: number[][][][], dOut: number[][][]) {
  const C = input.length, kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const dInput = input.map((map) => map.map((row) => row.map(() => 0)));
  const dKernels = kernels.map((k) => k.map((c) => c.map((row) => row.map(() => 0))));
  const dBias = dOut.map((map) => map.flat().reduce((a, b) => a + b, 0));
  dOut.forEach((map, k) => map.forEach((row, i) => row.forEach((d, j) => {
    for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      dKernels[k][c][u][v] += d * input[c][i + u][j + v];
      dInput[c][i + u][j + v] += d * kernels[k][c][u][v];
    }
  })));
  return { dInput, dKernels, dBias };
}
export function maxPoolBackward(x: number[][][], dOut: number[][][], size: number, stride: number): number[][][] {
  const dx = x.map((map) => map.map((row) => row.map(() => 0)));
  dOut.forEach((map, c) => map.forEach((row, i) => row.forEach((d, j) => { dx[c][i * stride][j * stride] += d; })));
  return dx;
}
