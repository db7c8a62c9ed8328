// core/explain/dropout.ts: inverted dropout as plain data. At training each value is kept with probability
// 1 − rate and scaled by 1/(1 − rate) (so its expected value is unchanged), or set to 0; at inference
// (when the explainer runs the network) dropout does nothing. The mask is DropoutLayer's (nn/layers.ts dropoutForward) and
// draws from the same seeded generator, so one seed gives the layer's mask.
import { type Tensor, contiguousData } from '../tensor.js';
import { seeded } from '../random.js';
import { expectTensor } from '../check.js';
import { dropoutForward } from '../nn/layers.js';

export interface DropoutExplanation {
  rate: number; scale: number; seed: number;
  input: Float32Array;
  /** 0 (dropped) or 1/(1−rate) (kept), one per value: one training pass's mask. */
  mask: Float32Array;
  /** input · mask: what the next layer sees at training. */
  training: Float32Array;
  /** input unchanged: what it sees at inference. */
  inference: Float32Array;
  kept: number;
}

export function explainDropout(x: Tensor, rate: number, seed = 1): DropoutExplanation {
  expectTensor('explainDropout', 'x', x);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`explainDropout: rate must be in [0, 1), got ${rate}`);
  const input = Float32Array.from(contiguousData(x));
  const scale = 1 / (1 - rate);
  const mask = new Float32Array(input.length).fill(1), training = input.slice();
  if (rate > 0) dropoutForward(training, input, mask, rate, seeded(seed)); // the layer's rule (nn/layers.ts)
  let kept = 0;
  for (const m of mask) if (m !== 0) kept++;
  return { rate, scale: rate > 0 ? scale : 1, seed, input, mask, training, inference: input, kept };
}
