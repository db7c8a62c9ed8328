// attempt: keeps the last result and reuses it as scratch space for the next call's exponentials
// verdict: fail
// hint: keep no state between calls
let scratch: number[] = [];
export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  scratch.length = z.length;
  for (let i = 0; i < z.length; i++) scratch[i] = Math.exp(z[i] - max);
  const sum = scratch.reduce((a, b) => a + b, 0);
  const out = scratch.map((e) => e / sum);
  scratch = out; // the next call's exponentials go here
  return out;
}
