// attempt: max via reduce, exponentials of shifted logits, then divide by their sum (new arrays throughout)
// verdict: pass
export function softmax(z: number[]): number[] {
  const m = z.reduce((a, b) => (b > a ? b : a), -Infinity);
  const e = z.map((v) => Math.exp(v - m));
  let s = 0;
  for (const v of e) s += v;
  return e.map((v) => v / s);
}
