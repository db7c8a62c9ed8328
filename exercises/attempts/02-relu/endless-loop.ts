// attempt: the column counter moves the wrong way, so the loop never ends
// verdict: timeout
// hint: a loop that never ends
export function relu(x: number[][][]): number[][][] {
  const out = x.map((map) => map.map((row) => row.slice()));
  for (const map of out) for (const row of map) for (let j = 0; j < row.length; j--) if (row[j] < 0) row[j] = 0;
  return out;
}
