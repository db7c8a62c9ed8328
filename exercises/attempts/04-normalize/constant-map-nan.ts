// attempt: right formula, but a constant map with eps = 0 divides 0 by 0
// verdict: fail
// hint: a constant map has variance 0
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  return x.map((map) => {
    const v = map.flat(), n = v.length, mean = v.reduce((a, b) => a + b, 0) / n;
    const sigma = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / n + eps);
    return map.map((row) => row.map((value) => (value - mean) / sigma));
  });
}
