// attempt: calls process.exit when W has a single row (a debugging line left in); the checker must survive it
// verdict: crash
// hint: your code ended the process
export function dense(x: number[][][], W: number[][], b: number[]): number[] {
  if (W.length === 1) process.exit(3);
  const flat = x.flat(2);
  return W.map((row, o) => row.reduce((s, w, i) => s + w * flat[i], b[o]));
}
