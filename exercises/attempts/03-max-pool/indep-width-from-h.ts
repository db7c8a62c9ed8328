// attempt: computes both output sizes from the map height H (Wo uses H instead of W)
// verdict: fail
// hint: width
export type Pair = number | [number, number];

export function maxPool(x: number[][][], size: Pair, stride: Pair = size): number[][][] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  const out: number[][][] = [];
  for (const map of x) {
    const H = map.length;
    const Ho = Math.floor((H - ph) / sh) + 1;
    const Wo = Math.floor((H - pw) / sw) + 1;
    const o: number[][] = [];
    for (let i = 0; i < Ho; i++) {
      const r: number[] = [];
      for (let j = 0; j < Wo; j++) {
        let m = -Infinity;
        for (let u = 0; u < ph; u++) for (let v = 0; v < pw; v++) {
          const val = map[i * sh + u][j * sw + v];
          if (val !== undefined && val > m) m = val;
        }
        r.push(m);
      }
      o.push(r);
    }
    out.push(o);
  }
  return out;
}
