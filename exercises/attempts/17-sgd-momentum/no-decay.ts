// attempt: forgets the weight decay
// verdict: fail
// hint: weight decay is missing
export function momentumStep(w: number[], grad: number[], velocity: number[], o: { learningRate: number; momentum: number; weightDecay: number }) {
  const v = velocity.map((vi, i) => o.momentum * vi - o.learningRate * grad[i]);
  return { w: w.map((wi, i) => wi + v[i]), velocity: v };
}
