// attempt: the output size ignores the stride: H − size + 1 windows, stepped by the stride
// verdict: fail
// hint: is the stride applied
export type Pair = number | [number, number];

/** For each map, the max of each window, windows stepped by stride; windows past the edge are dropped. */
export function maxPool(x: number[][][], size: Pair, stride: Pair = size): number[][][] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  return x.map((map) => {
    const outH = map.length - ph + 1;    // from the height H
    const outW = map[0].length - pw + 1; // from the width W
    return Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
      let max = -Infinity;
      for (let u = 0; u < ph; u++) for (let v = 0; v < pw; v++) max = Math.max(max, (map[i * sh + u]?.[j * sw + v] ?? -Infinity));
      return max;
    }));
  });
}
