// attempt: stable exponentials, then divided by the largest instead of the sum
// verdict: fail
// hint: do not sum to 1
/** p_i = e^(z_i − max z) / Σ_j e^(z_j − max z). Subtracting the max changes nothing mathematically and keeps exp from overflowing. */
export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  const exps = z.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / Math.max(...exps) + 0 * sum);
}
