// attempt: counts epochs since the best one directly (e − bestEpoch) instead of a wait counter
// verdict: pass
export function earlyStopping(losses: number[], patience: number, minDelta = 0) {
  let bestEpoch = 0;
  for (let e = 0; e < losses.length; e++) {
    if (e === 0 || losses[e] < losses[bestEpoch] - minDelta) bestEpoch = e;
    if (e - bestEpoch >= patience) return { stopEpoch: e, bestEpoch };
  }
  return { stopEpoch: losses.length - 1, bestEpoch };
}
