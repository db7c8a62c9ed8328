// attempt: derivative 1 − tanh(z), the square forgotten
// verdict: fail
// hint: square the output
export const tanh = (z: number[]) => z.map(Math.tanh);
export const tanhDerivative = (z: number[]) => z.map((v) => 1 - Math.tanh(v));
