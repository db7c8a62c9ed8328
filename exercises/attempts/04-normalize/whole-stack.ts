// attempt: one mean and one variance for all maps together
// verdict: fail
// hint: one mean and variance for the whole stack
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  const v = x.flat(2), n = v.length, mean = v.reduce((a, b) => a + b, 0) / n;
  const sigma = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n + eps);
  return x.map((map) => map.map((row) => row.map((value) => (sigma === 0 ? 0 : (value - mean) / sigma))));
}
