// attempt: improvement written as best − loss > minDelta, the epoch counter in a while loop
// verdict: pass
export function earlyStopping(losses: number[], patience: number, minDelta = 0) {
  let best = Number.POSITIVE_INFINITY, bestEpoch = 0, sinceBest = 0, epoch = 0;
  while (epoch < losses.length) {
    if (best - losses[epoch] > minDelta) { best = losses[epoch]; bestEpoch = epoch; sinceBest = 0; } else sinceBest += 1;
    if (sinceBest >= patience) break;
    epoch++;
  }
  return { stopEpoch: Math.min(epoch, losses.length - 1), bestEpoch };
}
