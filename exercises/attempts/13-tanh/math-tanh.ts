// attempt: the built-in Math.tanh
// verdict: pass
export const tanh = (z: number[]) => z.map(Math.tanh);
export const tanhDerivative = (z: number[]) => z.map((v) => 1 - Math.tanh(v) ** 2);
