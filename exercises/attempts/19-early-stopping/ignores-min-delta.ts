// attempt: any decrease counts as an improvement; minDelta is never used
// verdict: fail
// hint: minDelta is ignored
export function earlyStopping(losses: number[], patience: number, minDelta = 0) {
  let best = Infinity, bestEpoch = 0, wait = 0;
  for (let e = 0; e < losses.length; e++) {
    if (losses[e] < best) { best = losses[e]; bestEpoch = e; wait = 0; } else wait++;
    if (wait >= patience) return { stopEpoch: e, bestEpoch };
  }
  return { stopEpoch: losses.length - 1, bestEpoch };
}
