// attempt: compares each loss with the previous epoch, not with the best so far
// verdict: fail
// hint: compared with the previous epoch
export function earlyStopping(losses: number[], patience: number, minDelta = 0) {
  let best = Infinity, previous = Infinity, bestEpoch = 0, wait = 0;
  for (let e = 0; e < losses.length; e++) {
    if (losses[e] < previous - minDelta) wait = 0; else wait++;
    if (losses[e] < best - minDelta) { best = losses[e]; bestEpoch = e; }
    previous = losses[e];
    if (wait >= patience) return { stopEpoch: e, bestEpoch: bestEpoch };
  }
  return { stopEpoch: losses.length - 1, bestEpoch: bestEpoch };
}
