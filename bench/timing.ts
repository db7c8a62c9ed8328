// bench/timing.ts: how the bench times a call, one home for every library it compares.

/** Seconds of the fastest of `calls` calls after `warmup` untimed ones. Inference figures use it for every library
 *  (bench/torch_peer.py times PyTorch's the same way): one call over the test digits is short enough for a neighbour's
 *  burst on a shared machine to slow a single timing, and a mean of a few calls would let one such burst decide. */
export function fastestSeconds(run: () => void, calls: number, warmup = 1): number {
  for (let i = 0; i < warmup; i++) run();
  let best = Infinity;
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    run();
    best = Math.min(best, performance.now() - started);
  }
  return best / 1000;
}
