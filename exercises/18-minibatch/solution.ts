// Reference solution: one epoch of mini-batch gradient descent.
export type Gradient<S> = (w: number[], sample: S) => number[];

/** Batches of consecutive samples; each update uses the mean gradient of its batch, all taken at the same w. */
export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: Gradient<S>): number[] {
  let current = w.slice();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);     // the last batch may be smaller
    const sum = current.map(() => 0);
    for (const sample of batch) gradient(current, sample).forEach((g, i) => { sum[i] += g; });
    current = current.map((wi, i) => wi - learningRate * sum[i] / batch.length); // mean over the batch's own size
  }
  return current;
}
