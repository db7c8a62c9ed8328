// attempt: derivative written as 1 − z²
// verdict: fail
// hint: that is 1 − z²
export function tanh(z: number[]): number[] { return z.map(Math.tanh); }
export function tanhDerivative(z: number[]): number[] { return z.map((v) => 1 - v * v); }
