// core/explain/inspect/embedding.ts: how the classes separate inside a network: N samples' activations at one layer
// (the model's own forward) projected to 2-D by PCA (pca.ts), with each sample's predicted class.
//   at = 0: the input pixels;  at = l + 1: layer l's output                                                  (1)
import { sizeOf } from '../../tensor.js';
import type { Sequential } from '../../nn/model.js';
import { activationsAt, forwardLayers, probabilitiesOf, integerOption } from './common.js';
import { pca, type Pca } from './pca.js';
import { predictions } from '../../nn/metrics.js';

export interface Embedding { at: number; dims: number; pca: Pca; predicted: Int32Array }

/** (1) for `count` samples [count, ...inputShape] and their PCA to 2-D; `at` 0…layers. */
export function embedLayer(model: Sequential, inputs: Float32Array, count: number, at: number, options: { seed?: number | null } = {}): Embedding {
  const op = 'embedLayer';
  at = integerOption(op, 'at', at, 0, 0, model.layers.length);
  if (!Number.isInteger(count) || count < 2 || inputs.length < count * sizeOf(model.inputShape)) {
    throw new RangeError(`${op}: ${count} samples of ${sizeOf(model.inputShape)} values need ${count * sizeOf(model.inputShape)} inputs (and at least 2 samples), got ${inputs.length}`);
  }
  const dims = at === 0 ? sizeOf(model.inputShape) : sizeOf(model.layers[at - 1].outputShape);
  const values = activationsAt(model, inputs, count, at, 100);
  const outputs = forwardLayers(model, values, count, at, model.layers.length, 100);
  const predicted = predictions(probabilitiesOf(model, outputs, count), model.classes);
  return { at, dims, pca: pca(values, count, dims, { components: 2, seed: options.seed ?? 1 }), predicted };
}
