// attempt: flattens each map column by column
// verdict: fail
// hint: column by column
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  const flat: number[] = [];
  for (const map of x) for (let j = 0; j < map[0].length; j++) for (let i = 0; i < map.length; i++) flat.push(map[i][j]);
  return W.map((row, o) => row.reduce((sum, w, i) => sum + w * flat[i], b[o]));
}
