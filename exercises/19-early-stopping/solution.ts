// Reference solution: Keras-style early stopping on a list of validation losses.
/** Improvement means beating the best so far by more than minDelta; stop once `wait` reaches `patience`. */
export function earlyStopping(valLosses: number[], patience: number, minDelta = 0): { stopEpoch: number; bestEpoch: number } {
  let best = Infinity, bestEpoch = 0, wait = 0;
  for (let epoch = 0; epoch < valLosses.length; epoch++) {
    if (valLosses[epoch] < best - minDelta) { best = valLosses[epoch]; bestEpoch = epoch; wait = 0; }
    else wait++;
    if (wait >= patience) return { stopEpoch: epoch, bestEpoch };
  }
  return { stopEpoch: valLosses.length - 1, bestEpoch };
}
