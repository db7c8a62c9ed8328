// attempt: counts an epoch as improvement when it beats the previous epoch's loss, not the best so far
// verdict: fail
// hint: best
export function earlyStopping(valLosses: number[], patience: number, minDelta = 0): { stopEpoch: number; bestEpoch: number } {
  let prev = Infinity, best = Infinity, bestEpoch = 0, wait = 0;
  for (let e = 0; e < valLosses.length; e++) {
    const l = valLosses[e];
    if (l < prev - minDelta) {
      wait = 0;
      if (l < best) { best = l; bestEpoch = e; }
    } else wait++;
    prev = l;
    if (wait >= patience) return { stopEpoch: e, bestEpoch };
  }
  return { stopEpoch: valLosses.length - 1, bestEpoch };
}
