// attempt: p_i = exp(z_i − logsumexp(z)), the max found with a loop
// verdict: pass
export function softmax(z: number[]): number[] {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (const v of z) sum += Math.exp(v - max);
  const logSumExp = max + Math.log(sum);
  return z.map((v) => Math.exp(v - logSumExp));
}
