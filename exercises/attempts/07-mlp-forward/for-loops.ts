// attempt: explicit loops, σ written as e^z / (1 + e^z)
// verdict: pass
export interface MlpParams { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] }
const sigma = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export function mlpForward(x: number[], p: MlpParams) {
  const z1: number[] = [], h: number[] = [], z2: number[] = [], yHat: number[] = [];
  for (let j = 0; j < p.W1.length; j++) { let s = p.b1[j]; for (let i = 0; i < x.length; i++) s += p.W1[j][i] * x[i]; z1.push(s); h.push(sigma(s)); }
  for (let k = 0; k < p.W2.length; k++) { let s = p.b2[k]; for (let j = 0; j < h.length; j++) s += p.W2[k][j] * h[j]; z2.push(s); yHat.push(sigma(s)); }
  return { z1, h, z2, yHat };
}
