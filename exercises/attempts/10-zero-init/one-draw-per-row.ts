// attempt: one random() per row, shared by all its weights
// verdict: fail
// hint: the weights repeat
/** A [fanOut][fanIn] weight matrix: all zeros, or Glorot uniform U(±sqrt(6/(fanIn+fanOut))) from `random`. */
export function initWeights(kind: 'zeros' | 'glorot', fanIn: number, fanOut: number, random: () => number): number[][] {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Array.from({ length: fanOut }, () => { const r = random(); return Array.from({ length: fanIn }, () => (kind === 'zeros' ? 0 : (2 * r - 1) * limit)); });
}

/** True when every hidden unit (row of W1) has the same weights as the first. */
export function hiddenUnitsIdentical(W1: number[][]): boolean {
  return W1.every((row) => row.every((w, i) => w === W1[0][i]));
}
