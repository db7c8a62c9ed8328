// attempt: keeps the last epoch's weights instead of the best
// verdict: fail
// hint: bestEpoch is the last epoch
export function earlyStopping(losses: number[], patience: number, minDelta = 0) {
  let best = Infinity, previous = Infinity, bestEpoch = 0, wait = 0;
  for (let e = 0; e < losses.length; e++) {
    if (losses[e] < best - minDelta) wait = 0; else wait++;
    if (losses[e] < best - minDelta) { best = losses[e]; bestEpoch = e; }
    void previous;
    if (wait >= patience) return { stopEpoch: e, bestEpoch: e };
  }
  return { stopEpoch: losses.length - 1, bestEpoch: losses.length - 1 };
}
