// attempt: builds the 0/1 mask first, then multiplies; evaluation returns a copy through the same path with mask 1
// verdict: pass
export function dropout(x: number[], rate: number, training: boolean, random: () => number): number[] {
  const mask = x.map(() => (training ? (random() < rate ? 0 : 1) : 1));
  const scale = training ? 1 / (1 - rate) : 1;
  return x.map((v, i) => v * mask[i] * scale);
}
