// attempt: dKernels collected into the flipped position (kh−1−u, kw−1−v)
// verdict: fail
// hint: dKernels is flipped
/** dInput [C][H][W], dKernels [K][C][kh][kw], dBias [K] of Σ out·dOut for out = conv3d(input, kernels) + bias. */
export function conv3dBackward(input: number[][][], kernels: number[][][][], dOut: number[][][]) {
  const C = input.length, kh = kernels[0][0].length, kw = kernels[0][0][0].length;
  const dInput = input.map((map) => map.map((row) => row.map(() => 0)));
  const dKernels = kernels.map((k) => k.map((c) => c.map((row) => row.map(() => 0))));
  const dBias = dOut.map((map) => map.flat().reduce((a, b) => a + b, 0));
  dOut.forEach((map, k) => map.forEach((row, i) => row.forEach((d, j) => {
    for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      dKernels[k][c][kh - 1 - u][kw - 1 - v] += d * input[c][i + u][j + v];   // each weight saw input[c][i+u][j+v]
      dInput[c][i + u][j + v] += d * kernels[k][c][u][v];  // each pixel feeds every window that covers it
    }
  })));
  return { dInput, dKernels, dBias };
}

/** dx: each window's dOut goes to the position of its maximum (the first one on ties). */
export function maxPoolBackward(x: number[][][], dOut: number[][][], size: number, stride: number): number[][][] {
  const dx = x.map((map) => map.map((row) => row.map(() => 0)));
  dOut.forEach((map, c) => map.forEach((row, i) => row.forEach((d, j) => {
    let best = -Infinity, by = 0, bx = 0;
    for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) {
      const value = x[c][i * stride + u][j * stride + v];
      if (value > best) { best = value; by = i * stride + u; bx = j * stride + v; }
    }
    dx[c][by][bx] += d; // overlapping windows add up
  })));
  return dx;
}
