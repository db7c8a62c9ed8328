// attempt: flattens each map, mean and population variance with reduce, guards the zero-variance eps=0 case
// verdict: pass
export function normalize(x: number[][][], eps = 1e-5): number[][][] {
  return x.map((map) => {
    const flat = map.flat();
    const n = flat.length;
    const mu = flat.reduce((a, b) => a + b, 0) / n;
    const v = flat.reduce((a, b) => a + (b - mu) ** 2, 0) / n;
    const d = Math.sqrt(v + eps);
    return map.map((row) => row.map((val) => (d === 0 ? 0 : (val - mu) / d)));
  });
}
