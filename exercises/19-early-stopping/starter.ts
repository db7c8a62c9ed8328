// Exercise 19: early stopping. See README.md.
/** The epoch after which training stops (patience epochs without beating the best by more than minDelta) and the best epoch, both 0-based. */
export function earlyStopping(valLosses: number[], patience: number, minDelta = 0): { stopEpoch: number; bestEpoch: number } {
  // TODO
  throw new Error('not implemented');
}
