// attempt: builds each window with flatMap over row slices and takes Math.max(...window)
// verdict: pass
export type Pair = number | [number, number];

export function maxPool(x: number[][][], size: Pair, stride: Pair = size): number[][][] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  return x.map((map) => {
    const H = map.length, W = map[0].length;
    const Ho = Math.floor((H - ph) / sh) + 1, Wo = Math.floor((W - pw) / sw) + 1;
    return Array.from({ length: Ho }, (_, i) =>
      Array.from({ length: Wo }, (_, j) =>
        Math.max(...map.slice(i * sh, i * sh + ph).flatMap((row) => row.slice(j * sw, j * sw + pw)))));
  });
}
