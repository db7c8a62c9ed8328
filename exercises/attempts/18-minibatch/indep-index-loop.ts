// attempt: index loop over batch starts, accumulates gradients at the batch's starting w, divides by the real batch length
// verdict: pass
export type Gradient<S> = (w: number[], sample: S) => number[];

export function trainEpoch<S>(w: number[], samples: S[], batchSize: number, learningRate: number, gradient: Gradient<S>): number[] {
  let cur = w.slice();
  for (let start = 0; start < samples.length; start += batchSize) {
    const end = Math.min(start + batchSize, samples.length);
    const acc = new Array(cur.length).fill(0);
    for (let n = start; n < end; n++) {
      const g = gradient(cur, samples[n]);
      for (let k = 0; k < acc.length; k++) acc[k] += g[k];
    }
    const size = end - start;
    cur = cur.map((wk, k) => wk - (learningRate * acc[k]) / size);
  }
  return cur;
}
