// attempt: returns a Float64Array (typed arrays with the right values are accepted)
// verdict: pass
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  const flat = x.flat(2);
  const y = new Float64Array(W.length);
  for (let o = 0; o < W.length; o++) { y[o] = b[o]; for (let i = 0; i < flat.length; i++) y[o] += W[o][i] * flat[i]; }
  return y as unknown as number[];
}
