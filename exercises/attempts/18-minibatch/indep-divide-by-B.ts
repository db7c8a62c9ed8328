// attempt: averages by dividing by batchSize even for the smaller last batch
// verdict: fail
// hint: last, smaller batch
export type Gradient<S> = (w: number[], sample: S) => number[];

export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: Gradient<S>): number[] {
  let cur = w.slice();
  for (let start = 0; start < samples.length; start += batchSize) {
    const batch = samples.slice(start, start + batchSize);
    const acc = new Array(cur.length).fill(0);
    for (const s of batch) {
      const g = gradient(cur, s);
      for (let k = 0; k < acc.length; k++) acc[k] += g[k];
    }
    cur = cur.map((wk, k) => wk - (learningRate * acc[k]) / batchSize);
  }
  return cur;
}
