// attempt: returns the wait counter as stopEpoch
// verdict: fail
// hint: stopEpoch is the epoch at which wait reaches patience
/** Improvement means beating the best so far by more than minDelta; stop once `wait` reaches `patience`. */
export function earlyStopping(valLosses: number[], patience: number, minDelta = 0): { stopEpoch: number; bestEpoch: number } {
  let best = Infinity, bestEpoch = 0, wait = 0;
  for (let epoch = 0; epoch < valLosses.length; epoch++) {
    if (valLosses[epoch] < best - minDelta) { best = valLosses[epoch]; bestEpoch = epoch; wait = 0; }
    else wait++;
    if (wait >= patience) return { stopEpoch: wait, bestEpoch };
  }
  return { stopEpoch: valLosses.length - 1, bestEpoch };
}
