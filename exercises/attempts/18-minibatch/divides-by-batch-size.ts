// attempt: divides by batchSize even for the smaller last batch
// verdict: fail
// hint: the last, smaller batch is divided by batchSize
export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: (w: number[], s: S) => number[]): number[] {
  let current = w.slice();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    const sum = current.map(() => 0);
    for (const sample of batch) gradient(current, sample).forEach((g, i) => { sum[i] += g; });
    current = current.map((wi, i) => wi - learningRate * sum[i] / batchSize);
  }
  return current;
}
