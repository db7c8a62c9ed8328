// attempt: PyTorch form: buf = μ·buf + g, w = w − lr·buf (its own velocity convention, passed back in)
// verdict: pass
export interface MomentumOptions { learningRate: number; momentum: number; weightDecay: number }

export function momentumStep(w: number[], grad: number[], velocity: number[], options: MomentumOptions): { w: number[]; velocity: number[] } {
  const { learningRate, momentum, weightDecay } = options;
  const buf = w.map((wi, i) => momentum * velocity[i] + grad[i] + weightDecay * wi);
  return { w: w.map((wi, i) => wi - learningRate * buf[i]), velocity: buf };
}
