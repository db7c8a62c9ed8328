// core/explain/inspect/embedding.ts: how the classes separate inside a network: N samples' activations at one layer
// (the model's own forward) projected to 2-D by PCA (pca.ts) or UMAP (umap.ts), with each sample's predicted class.
//   at = 0: the input pixels;  at = l + 1: layer l's output                                                  (1)
// and how far apart the classes are drawn: the share of each digit's 10 nearest in the picture of its own class (4).
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

/** Limits of neighbourPurity: its cost is N² distances. */
export const PURITY_LIMITS = { points: 10_000 } as const;

/** How well a 2-D picture separates the classes: for each point its k nearest other points (Euclidean in the picture,
 *  ties broken by the lower index), the share of them with the point's own label, averaged over the points:
 *    purity = (1/N) Σ_n |{ m ∈ kNN(n) : label_m = label_n }| / k                                             (4)
 *  1 when every class sits apart; about Σ_c (N_c/N)² (0.1 for ten equal classes) when the classes are mixed. */
export function neighbourPurity(xy: Float64Array, labels: ArrayLike<number>, k = 10): number {
  const op = 'neighbourPurity';
  const N = labels.length;
  if (!(xy instanceof Float64Array)) throw new TypeError(`${op}: xy must be a Float64Array`);
  if (xy.length !== 2 * N) throw new RangeError(`${op}: xy holds ${xy.length} values but ${N} labels need ${2 * N}`);
  integerOption(op, 'points', N, 0, 2, PURITY_LIMITS.points);
  k = integerOption(op, 'k', k, 10, 1, N - 1);
  for (let i = 0; i < xy.length; i++) if (!Number.isFinite(xy[i])) throw new RangeError(`${op}: value ${i} (point ${i >> 1}) is ${xy[i]}, not a finite number`);
  const best = new Int32Array(k), bestD = new Float64Array(k);
  let total = 0;
  for (let n = 0; n < N; n++) {
    let found = 0;
    const x = xy[2 * n], y = xy[2 * n + 1];
    for (let m = 0; m < N; m++) {
      if (m === n) continue;
      const d = (xy[2 * m] - x) ** 2 + (xy[2 * m + 1] - y) ** 2;
      if (found === k && d >= bestD[k - 1]) continue; // m > every kept index: an equal distance loses the tie
      let at = found < k ? found++ : k - 1;
      while (at > 0 && bestD[at - 1] > d) { bestD[at] = bestD[at - 1]; best[at] = best[at - 1]; at--; }
      bestD[at] = d; best[at] = m;
    }
    let same = 0;
    for (let j = 0; j < k; j++) if (labels[best[j]] === labels[n]) same++;
    total += same / k;
  }
  return total / N;
}

/** A 2-D picture's axes turned to match an earlier picture of the same points: PCA's sign of each direction is a
 *  convention (pca.ts (2)), so two pictures of a network a few batches apart may come out mirrored. Each axis a of
 *  `next` is negated when Σ_n next_n,a · previous_n,a < 0, so a picture redrawn during training does not flip:
 *    s_a = sign(Σ_n y_n,a · p_n,a) (+1 when the sum is 0),   y'_n,a = s_a · y_n,a                             (5)
 *  Returns a new array and the two signs; distances and neighbours are unchanged. */
export function alignSigns(previous: Float64Array, next: Float64Array): { xy: Float64Array; signs: [number, number] } {
  if (!(previous instanceof Float64Array) || !(next instanceof Float64Array)) throw new TypeError('alignSigns: both pictures must be Float64Arrays');
  if (previous.length !== next.length || next.length % 2) throw new RangeError(`alignSigns: the pictures hold ${previous.length} and ${next.length} values; both must hold the same points (2 values each)`);
  const sums = [0, 0];
  for (let i = 0; i < next.length; i++) sums[i & 1] += next[i] * previous[i];
  const signs: [number, number] = [sums[0] < 0 ? -1 : 1, sums[1] < 0 ? -1 : 1];
  const xy = new Float64Array(next.length);
  for (let i = 0; i < next.length; i++) xy[i] = signs[i & 1] * next[i];
  return { xy, signs };
}
