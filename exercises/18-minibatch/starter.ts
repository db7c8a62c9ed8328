// Exercise 18: mini-batch gradient averaging. See README.md.
export type Gradient<S> = (w: number[], sample: S) => number[];

/** One epoch: for each batch of batchSize consecutive samples (the last may be smaller), w ← w − lr · mean gradient at w. */
export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: Gradient<S>): number[] {
  // TODO
  throw new Error('not implemented');
}
