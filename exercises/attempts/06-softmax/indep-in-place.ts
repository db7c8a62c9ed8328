// attempt: stable softmax but writes the result into the caller's z and returns it
// verdict: fail
// hint: new array
export function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  let s = 0;
  for (let i = 0; i < z.length; i++) { z[i] = Math.exp(z[i] - m); s += z[i]; }
  for (let i = 0; i < z.length; i++) z[i] /= s;
  return z;
}
