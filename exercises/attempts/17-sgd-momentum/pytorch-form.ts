// attempt: PyTorch's form v = μv + g, w = w − lr·v (same weights, different velocity)
// verdict: pass
export function momentumStep(w: number[], grad: number[], velocity: number[], o: { learningRate: number; momentum: number; weightDecay: number }) {
  const v = velocity.map((vi, i) => o.momentum * vi + grad[i] + o.weightDecay * w[i]);
  return { w: w.map((wi, i) => wi - o.learningRate * v[i]), velocity: v };
}
