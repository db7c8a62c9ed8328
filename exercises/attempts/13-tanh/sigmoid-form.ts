// attempt: derivative in the sigmoid's form t(1 − t)
// verdict: fail
// hint: sigmoid's form
export function tanh(z: number[]): number[] { return z.map(Math.tanh); }
export function tanhDerivative(z: number[]): number[] { return tanh(z).map((t) => t * (1 - t)); }
