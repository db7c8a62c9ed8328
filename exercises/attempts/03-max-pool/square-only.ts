// attempt: treats size and stride as single numbers (square windows only): pairs are read as size[0]
// verdict: fail
// hint: size and stride may be pairs
export function maxPool(x: number[][][], size: number | [number, number], stride: number | [number, number] = size): number[][][] {
  const s = typeof size === 'number' ? size : size[0], st = typeof stride === 'number' ? stride : stride[0];
  return x.map((map) => Array.from({ length: Math.floor((map.length - s) / st) + 1 }, (_, i) =>
    Array.from({ length: Math.floor((map[0].length - s) / st) + 1 }, (_, j) => {
      let max = -Infinity;
      for (let u = 0; u < s; u++) for (let v = 0; v < s; v++) max = Math.max(max, map[i * st + u][j * st + v]);
      return max;
    })));
}
