// attempt: starts from a zero velocity on every call (the velocity passed in is ignored)
// verdict: fail
// hint: momentum has no effect
export function momentumStep(w: number[], grad: number[], velocity: number[], o: { learningRate: number; momentum: number; weightDecay: number }) {
  const v = w.map((wi, i) => o.momentum * 0 - o.learningRate * (grad[i] + o.weightDecay * wi));
  return { w: w.map((wi, i) => wi + v[i]), velocity: velocity };
}
