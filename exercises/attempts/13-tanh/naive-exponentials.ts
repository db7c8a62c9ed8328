// attempt: the textbook fraction (e^z − e^−z)/(e^z + e^−z)
// verdict: fail
// hint: Infinity/Infinity is NaN
const t = (v: number) => (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v));
export function tanh(z: number[]): number[] { return z.map(t); }
export function tanhDerivative(z: number[]): number[] { return z.map((v) => 1 - t(v) ** 2); }
