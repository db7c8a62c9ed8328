// attempt: the matrix built [fanIn][fanOut] (transposed)
// verdict: fail
// hint: transposed
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Array.from({ length: fanIn }, () => Array.from({ length: fanOut }, () => (kind === 'zeros' ? 0 : (2 * random() - 1) * limit)));
}
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return W1.every((row) => row.every((w, i) => w === W1[0][i]));
}
