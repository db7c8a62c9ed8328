// attempt: collects each window into a list and takes Math.max(...window); pairs unpacked with Array.isArray
// verdict: pass
export function maxPool(x: number[][][], size: number | [number, number], stride: number | [number, number] = size): number[][][] {
  const [ph, pw] = Array.isArray(size) ? size : [size, size];
  const [sh, sw] = Array.isArray(stride) ? stride : [stride, stride];
  return x.map((map) => {
    const out: number[][] = [];
    for (let top = 0; top + ph <= map.length; top += sh) {
      const row: number[] = [];
      for (let left = 0; left + pw <= map[0].length; left += sw) {
        const window = map.slice(top, top + ph).flatMap((r) => r.slice(left, left + pw));
        row.push(Math.max(...window));
      }
      out.push(row);
    }
    return out;
  });
}
