// attempt: momentum update right, but the weight-decay term λ·w is never added to the gradient
// verdict: fail
// hint: weight decay
export interface MomentumOptions { learningRate: number; momentum: number; weightDecay: number }

export function momentumStep(w: number[], grad: number[], velocity: number[], options: MomentumOptions): { w: number[]; velocity: number[] } {
  const v = velocity.map((vi, i) => options.momentum * vi - options.learningRate * grad[i]);
  return { w: w.map((wi, i) => wi + v[i]), velocity: v };
}
