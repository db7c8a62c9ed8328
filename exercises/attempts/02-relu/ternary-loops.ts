// attempt: explicit loops into a fresh array, v > 0 ? v : 0
// verdict: pass
export function relu(x: number[][][]): number[][][] {
  const out: number[][][] = [];
  for (const map of x) {
    const rows: number[][] = [];
    for (const row of map) rows.push(row.map((v) => (v > 0 ? v : 0)));
    out.push(rows);
  }
  return out;
}
