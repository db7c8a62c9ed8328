// attempt: one pass for the mean, one for the variance, over a Float64Array copy of each map
// verdict: pass
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  return x.map((map) => {
    const values = Float64Array.from(map.flat());
    let mean = 0;
    for (const v of values) mean += v / values.length;
    let variance = 0;
    for (const v of values) variance += (v - mean) * (v - mean);
    variance /= values.length;
    const scale = variance + eps > 0 ? 1 / Math.sqrt(variance + eps) : 0;
    return map.map((row) => row.map((v) => (v - mean) * scale));
  });
}
