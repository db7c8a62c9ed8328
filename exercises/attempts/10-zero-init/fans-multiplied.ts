// attempt: Glorot bound sqrt(6/(fanIn·fanOut)): the fans multiplied
// verdict: fail
// hint: add the fans
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn * fanOut));
  return Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => (kind === 'zeros' ? 0 : (2 * random() - 1) * limit)));
}
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return W1.every((row) => row.every((w, i) => w === W1[0][i]));
}
