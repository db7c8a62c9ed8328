// attempt: the running maximum starts at 0
// verdict: fail
// hint: start the max at −Infinity
export function maxPool(x: number[][][], size: number | [number, number], stride: number | [number, number] = size): number[][][] {
  const [ph, pw] = typeof size === 'number' ? [size, size] : size;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  return x.map((map) => Array.from({ length: Math.floor((map.length - ph) / sh) + 1 }, (_, i) =>
    Array.from({ length: Math.floor((map[0].length - pw) / sw) + 1 }, (_, j) => {
      let max = 0;
      for (let u = 0; u < ph; u++) for (let v = 0; v < pw; v++) max = Math.max(max, map[i * sh + u][j * sw + v]);
      return max;
    })));
}
