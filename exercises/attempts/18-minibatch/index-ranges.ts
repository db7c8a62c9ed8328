// attempt: counts batches first, then averages with a running mean
// verdict: pass
export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: (w: number[], s: S) => number[]): number[] {
  const batches = Math.ceil(samples.length / batchSize);
  let current = [...w];
  for (let b = 0; b < batches; b++) {
    const members = samples.slice(b * batchSize, Math.min((b + 1) * batchSize, samples.length));
    const mean = new Array<number>(w.length).fill(0);
    members.forEach((s, k) => gradient(current, s).forEach((g, i) => { mean[i] += (g - mean[i]) / (k + 1); }));
    current = current.map((wi, i) => wi - learningRate * mean[i]);
  }
  return current;
}
