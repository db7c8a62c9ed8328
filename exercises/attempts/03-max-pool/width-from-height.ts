// attempt: the seed lab report's answer to Question 27: both output sizes computed from the map's height
// verdict: fail
// hint: output width is computed from the map's height
export function maxPool(x: number[][][], size: number | [number, number], stride: number | [number, number] = size): number[][][] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  return x.map((map) => {
    const H = map.length;
    const outH = Math.floor((H - ph) / sh) + 1, outW = Math.floor((H - pw) / sw) + 1;
    return Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
      let max = -Infinity;
      for (let u = 0; u < ph; u++) for (let v = 0; v < pw; v++) max = Math.max(max, map[i * sh + u]?.[j * sw + v] ?? -Infinity);
      return max;
    }));
  });
}
