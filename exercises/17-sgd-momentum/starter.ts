// Exercise 17: SGD with momentum and weight decay. See README.md.
export interface MomentumOptions { learningRate: number; momentum: number; weightDecay: number }

/** One update: g = grad + weightDecay·w; velocity = momentum·velocity − learningRate·g; w = w + velocity. */
export function momentumStep(w: number[], grad: number[], velocity: number[], options: MomentumOptions): { w: number[]; velocity: number[] } {
  // TODO
  throw new Error('not implemented');
}
