// core/explain/inspect/embedding.ts: how the classes separate inside a network: N samples' activations at one layer
// (the model's own forward) projected to 2-D by PCA (pca.ts) or UMAP (umap.ts), with each sample's predicted class.
//   at = 0: the input pixels;  at = l + 1: layer l's output                                                  (1)
import { sizeOf } from '../../tensor.js';
import type { Sequential } from '../../nn/model.js';
import { activationsAt, forwardLayers, probabilitiesOf, integerOption } from './common.js';
import { pca, type Pca } from './pca.js';
import { umap, type Umap } from './umap.js';
import { predictions } from '../../nn/metrics.js';

/** The projections the class map offers: PCA (distances along two directions, faithful) and UMAP (neighbours kept,
 *  distances not). The first is the default. */
export const PROJECTIONS = ['pca', 'umap'] as const;
export type Projection = (typeof PROJECTIONS)[number];

/** `xy` [count, 2]: the chosen projection's positions; `pca` or `umap` holds its details, the other is null. */
export interface Embedding { at: number; dims: number; method: Projection; xy: Float64Array; pca: Pca | null; umap: Umap | null; predicted: Int32Array }

/** (1) for `count` samples [count, ...inputShape] and their projection to 2-D; `at` 0…layers. */
export function embedLayer(model: Sequential, inputs: Float32Array, count: number, at: number, options: { seed?: number | null; method?: Projection | null } = {}): Embedding {
  const op = 'embedLayer';
  at = integerOption(op, 'at', at, 0, 0, model.layers.length);
  const method = options.method ?? 'pca';
  if (!(PROJECTIONS as readonly unknown[]).includes(method)) throw new RangeError(`${op}: method must be one of ${PROJECTIONS.join(', ')}, got ${JSON.stringify(method)}`);
  if (!Number.isInteger(count) || count < 2 || inputs.length < count * sizeOf(model.inputShape)) {
    throw new RangeError(`${op}: ${count} samples of ${sizeOf(model.inputShape)} values need ${count * sizeOf(model.inputShape)} inputs (and at least 2 samples), got ${inputs.length}`);
  }
  const dims = at === 0 ? sizeOf(model.inputShape) : sizeOf(model.layers[at - 1].outputShape);
  const values = activationsAt(model, inputs, count, at, 100);
  const outputs = forwardLayers(model, values, count, at, model.layers.length, 100);
  const predicted = predictions(probabilitiesOf(model, outputs, count), model.classes);
  const seed = options.seed ?? 1;
  if (method === 'umap') { const u = umap(values, count, dims, { seed }); return { at, dims, method, xy: u.projections, pca: null, umap: u, predicted }; }
  const p = pca(values, count, dims, { components: 2, seed });
  return { at, dims, method, xy: p.projections, pca: p, umap: null, predicted };
}
