// attempt: weight decay subtracted from the gradient: g = ∇L − λw
// verdict: fail
// hint: weight decay has the wrong sign
export interface MomentumOptions { learningRate: number; momentum: number; weightDecay: number }

/** g = ∇L + λw;  v ← μv − lr·g;  w ← w + v. Returns new arrays. */
export function momentumStep(w: number[], grad: number[], velocity: number[], { learningRate, momentum, weightDecay }: MomentumOptions) {
  const g = grad.map((gi, i) => gi - weightDecay * w[i]);          // weight decay: gradient of (λ/2)‖w‖²
  const v = velocity.map((vi, i) => momentum * vi - learningRate * g[i]);
  return { w: w.map((wi, i) => wi + v[i]), velocity: v };
}
