// attempt: hiddenUnitsIdentical compares only the first weight of each row
// verdict: fail
// hint: compare every value of every row
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => (kind === 'zeros' ? 0 : (2 * random() - 1) * limit)));
}
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return W1.every((row) => row[0] === W1[0][0]);
}
