// attempt: writes the probabilities into the caller's z and returns it
// verdict: fail
// hint: overwrote the caller's z
export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  let sum = 0;
  for (let i = 0; i < z.length; i++) { z[i] = Math.exp(z[i] - max); sum += z[i]; }
  for (let i = 0; i < z.length; i++) z[i] /= sum;
  return z;
}
