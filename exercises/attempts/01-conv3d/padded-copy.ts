// attempt: pads the input into a new array first, then a valid convolution with explicit loops
// verdict: pass
export function conv3d(input: number[][][], kernels: number[][][][], bias: number[], stride = 1, padding = 0): number[][][] {
  const padded = input.map((map) => {
    const width = map[0].length + 2 * padding;
    const rows = map.map((row) => [...new Array(padding).fill(0), ...row, ...new Array(padding).fill(0)]);
    const empty = () => new Array(width).fill(0);
    return [...Array.from({ length: padding }, empty), ...rows, ...Array.from({ length: padding }, empty)];
  });
  const out: number[][][] = [];
  for (let k = 0; k < kernels.length; k++) {
    const kernel = kernels[k], kh = kernel[0].length, kw = kernel[0][0].length;
    const map: number[][] = [];
    for (let top = 0; top + kh <= padded[0].length; top += stride) {
      const row: number[] = [];
      for (let left = 0; left + kw <= padded[0][0].length; left += stride) {
        let sum = bias[k];
        kernel.forEach((channel, c) => channel.forEach((weights, u) => weights.forEach((w, v) => { sum += w * padded[c][top + u][left + v]; })));
        row.push(sum);
      }
      map.push(row);
    }
    out.push(map);
  }
  return out;
}
