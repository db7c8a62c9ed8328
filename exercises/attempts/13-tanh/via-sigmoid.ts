// attempt: tanh as 2σ(2z) − 1 with a sigmoid that never overflows; derivative from the output
// verdict: pass
const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export function tanh(z: number[]): number[] { return z.map((v) => 2 * sigmoid(2 * v) - 1); }
export function tanhDerivative(z: number[]): number[] { return tanh(z).map((t) => (1 - t) * (1 + t)); }
