// attempt: tanh written as the sigmoid 1/(1 + e^−z)
// verdict: fail
// hint: that is the sigmoid
const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export const tanh = (z: number[]) => z.map(sigmoid);
export const tanhDerivative = (z: number[]) => z.map((v) => 1 - Math.tanh(v) ** 2);
