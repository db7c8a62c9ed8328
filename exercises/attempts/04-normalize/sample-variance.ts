// attempt: variance divided by n − 1 (the sample variance of a statistics course)
// verdict: fail
// hint: divided by n − 1
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  return x.map((map) => {
    const v = map.flat(), n = v.length, mean = v.reduce((a, b) => a + b, 0) / n;
    const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
    const sigma = Math.sqrt(variance + eps);
    return map.map((row) => row.map((value) => (sigma === 0 ? 0 : (value - mean) / sigma)));
  });
}
