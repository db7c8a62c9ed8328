// attempt: every glorot weight set to the limit sqrt(6/(fanIn+fanOut)) instead of a draw in ±limit
// verdict: fail
// hint: must be random
/** A [fanOut][fanIn] weight matrix: all zeros, or Glorot uniform U(±sqrt(6/(fanIn+fanOut))) from `random`. */
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Array.from({ length: fanOut }, () => Array.from({ length: fanIn }, () => (kind === 'zeros' ? 0 : limit)));
}

/** True when every hidden unit (row of W1) has the same weights as the first. */
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return W1.every((row) => row.every((w, i) => w === W1[0][i]));
}
