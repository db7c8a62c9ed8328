// attempt: random()·2·limit − limit, and rows compared as JSON strings
// verdict: pass
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const W: number[][] = [];
  for (let o = 0; o < fanOut; o++) { const row: number[] = []; for (let i = 0; i < fanIn; i++) row.push(kind === 'zeros' ? 0 : random() * 2 * limit - limit); W.push(row); }
  return W;
}
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return new Set(W1.map((row) => JSON.stringify(row))).size === 1;
}
