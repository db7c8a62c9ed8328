// attempt: mixes the two conventions: v = μv + lr·g and w = w − lr·v
// verdict: fail
// hint: the learning rate is applied twice
export function momentumStep(w: number[], grad: number[], velocity: number[], o: { learningRate: number; momentum: number; weightDecay: number }) {
  const v = velocity.map((vi, i) => o.momentum * vi + o.learningRate * (grad[i] + o.weightDecay * w[i]));
  return { w: w.map((wi, i) => wi - o.learningRate * v[i]), velocity: v };
}
