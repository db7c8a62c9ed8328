// attempt: updates the arrays it was given in place with one loop, and returns them
// verdict: pass
export function momentumStep(w: number[], grad: number[], velocity: number[], o: { learningRate: number; momentum: number; weightDecay: number }) {
  for (let i = 0; i < w.length; i++) {
    velocity[i] = o.momentum * velocity[i] - o.learningRate * (grad[i] + o.weightDecay * w[i]);
    w[i] += velocity[i];
  }
  return { w, velocity };
}
