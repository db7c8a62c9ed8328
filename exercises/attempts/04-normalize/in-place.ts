// attempt: normalises each map in place and returns the input
// verdict: fail
// hint: wrote into its input
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  for (const map of x) {
    const values = map.flat();
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    const sigma = Math.sqrt(variance + eps);
    for (const row of map) for (let j = 0; j < row.length; j++) row[j] = sigma === 0 ? 0 : (row[j] - mean) / sigma;
  }
  return x;
}
