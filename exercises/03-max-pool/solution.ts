// Reference solution: max pooling with a spatial extent and a stride.
/** For each map, the max of each size×size window, windows stepped by stride; windows past the edge are dropped. */
export function maxPool(x: number[][][], size: number, stride: number): number[][][] {
  return x.map((map) => {
    const outH = Math.floor((map.length - size) / stride) + 1;
    const outW = Math.floor((map[0].length - size) / stride) + 1;
    return Array.from({ length: outH }, (_, i) => Array.from({ length: outW }, (_, j) => {
      let max = -Infinity;
      for (let u = 0; u < size; u++) for (let v = 0; v < size; v++) max = Math.max(max, map[i * stride + u][j * stride + v]);
      return max;
    }));
  });
}
