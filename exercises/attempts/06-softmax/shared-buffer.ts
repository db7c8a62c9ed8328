// attempt: reuses one module-level array for every call (a "performance" idea)
// verdict: fail
// hint: one shared array
const out: number[] = [];
export function softmax(z: number[]): number[] {
  const max = Math.max(...z);
  out.length = z.length;
  let sum = 0;
  z.forEach((v, i) => { out[i] = Math.exp(v - max); sum += out[i]; });
  for (let i = 0; i < z.length; i++) out[i] /= sum;
  return out;
}
