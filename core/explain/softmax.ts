// core/explain/softmax.ts: softmax of one vector in its stages: logits → minus the max → exponentials → sum → probabilities.
// Backward (softmax + cross-entropy): ∂L/∂z = p − onehot(y),  L = logsumexp(z) − z[y]   (1)
import { type Tensor, contiguousData, toArray } from '../tensor.js';
import { softmax, softmaxCrossEntropy, softmaxCrossEntropyBackward } from '../ops/softmax.js';
import { stepList, type StepList } from './stepList.js';
import { expectTensor } from '../check.js';

export interface SoftmaxExplanation { logits: number[]; max: number; shifted: number[]; exponentials: number[]; sum: number; probabilities: number[] }
/** The stages of softmax on a vector; the probabilities are the op's own. */
export function explainSoftmax(logits: Tensor): SoftmaxExplanation {
  expectTensor('explainSoftmax', 'logits', logits, [1]);
  const z = Array.from(contiguousData(logits));
  const max = Math.max(...z);
  const shifted = z.map((v) => v - max); // subtract the max so e^z cannot overflow
  const exponentials = shifted.map(Math.exp);
  const sum = exponentials.reduce((s, e) => s + e, 0);
  return { logits: z, max, shifted, exponentials, sum, probabilities: toArray(softmax(logits)) as number[] };
}

// ── backward (1) ───────────────────────────────────────────────────────────────────────

export interface SoftmaxCrossEntropyStep { c: number; logit: number; p: number; onehot: number; gradient: number }
export interface SoftmaxCrossEntropyBackward {
  logits: number[]; probabilities: number[]; target: number; loss: number;
  /** ∂L/∂z from softmaxCrossEntropyBackward. */
  dLogits: Tensor; steps: StepList<SoftmaxCrossEntropyStep>;
}

/** (1) for one logit vector [C] and its target class. */
export function explainSoftmaxCrossEntropyBackward(logits: Tensor, target: number): SoftmaxCrossEntropyBackward {
  expectTensor('explainSoftmaxCrossEntropyBackward', 'logits', logits, [1]);
  const dLogits = softmaxCrossEntropyBackward(logits, target);
  const z = Array.from(contiguousData(logits)), p = Array.from(softmax(logits).data), d = dLogits.data;
  return {
    logits: z, probabilities: p, target, loss: softmaxCrossEntropy(logits, target), dLogits,
    steps: stepList('explainSoftmaxCrossEntropyBackward', z.length, (c) => ({ c, logit: z[c], p: p[c], onehot: c === target ? 1 : 0, gradient: d[c] })),
  };
}
