// attempt: divides by sqrt(variance) and handles only the constant map by hand
// verdict: fail
// hint: eps is missing
/** Each map to (x − μ) / sqrt(σ² + eps), with the population variance σ² = mean((x − μ)²). */
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  return x.map((map) => {
    const values = map.flat();
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length; // divide by n, not n − 1
    const sigma = Math.sqrt(variance);
    return map.map((row) => row.map((v) => (sigma === 0 ? 0 : (v - mean) / sigma))); // a constant map gives zeros
  });
}
