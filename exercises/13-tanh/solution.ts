// Reference solution: tanh written so that no exponent is positive, and its derivative from the output.
/** tanh(z) = sign(z)·(1 − e^(−2|z|)) / (1 + e^(−2|z|)): e^(−2|z|) ≤ 1, so nothing overflows. */
export function tanh(z: number[]): number[] {
  return z.map((v) => {
    const e = Math.exp(-2 * Math.abs(v));
    return Math.sign(v) * (1 - e) / (1 + e);
  });
}

/** tanh'(z) = 1 − tanh²(z). */
export function tanhDerivative(z: number[]): number[] {
  return tanh(z).map((t) => 1 - t * t);
}
