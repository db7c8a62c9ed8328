// attempt: updates w after every sample of the batch (with the step divided by the batch size)
// verdict: fail
// hint: w changes inside the batch
export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: (w: number[], s: S) => number[]): number[] {
  let current = w.slice();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    for (const sample of batch) { const g = gradient(current, sample); current = current.map((wi, i) => wi - learningRate * g[i] / batch.length); }
  }
  return current;
}
