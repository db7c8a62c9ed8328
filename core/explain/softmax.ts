// core/explain/softmax.ts: softmax of one vector in its stages: logits → minus the max → exponentials → sum → probabilities.
import { type Tensor, contiguousData, toArray } from '../tensor.js';
import { softmax } from '../ops/softmax.js';
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
