// attempt: right values, but written into the caller's array
// verdict: fail
// hint: wrote into its input
export function relu(x: number[][][]): number[][][] {
  for (const map of x) for (const row of map) for (let j = 0; j < row.length; j++) if (row[j] < 0) row[j] = 0;
  return x;
}
