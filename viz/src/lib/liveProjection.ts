// The class map as the network learns (the training page): PCA of the probed test digits at the last hidden layer
// (core's embedLayer) and their share of same-class neighbours. One home for the training worker, which projects
// before and after a run, and the projection worker (liveProjection.worker.ts), which projects during it.
import { embedLayer, neighbourPurity, type Sequential } from '../../../core/index.js';
import { defaultLayer } from './inspectRoute.js';
import type { LiveProjection } from './training.js';

/** The probed test digits (inputs [count, ...inputShape] and their labels). */
export interface Probe { inputs: Float32Array; labels: Int32Array }

/** One picture of `probe` through `model`, its axes as PCA gives them (the caller turns them to match the last one:
 *  core's alignSigns; the purity does not depend on the signs). Throws where PCA's limits refuse the layer. */
export function projectProbe(model: Sequential, probe: Probe): Omit<LiveProjection, 'epochs' | 'ms'> {
  const layer = defaultLayer('embedding', model);
  const embedding = embedLayer(model, probe.inputs, probe.labels.length, layer + 1);
  return { layer, dims: embedding.dims, xy: embedding.xy, labels: probe.labels, predicted: embedding.predicted,
    explained: [embedding.pca!.explained[0], embedding.pca!.explained[1]], purity: neighbourPurity(embedding.xy, probe.labels),
    learned: model.layers.slice(0, layer + 1).some((l) => l.params().length > 0) };
}

/** The training worker's messages to the projection worker: a run's network and probe once, then the weights to
 *  project (a copy per parameter, in model.params() order) as often as the worker asks. */
export type ProjectorRequest =
  | { type: 'model'; run: number; inputShape: number[]; layers: Sequential['configs']; kernels: 'wasm' | 'js'; wasm: WebAssembly.Module | null; probe: Probe }
  | { type: 'project'; run: number; epochs: number; weights: Float32Array[] };
/** Its answers, for the run they name (a stale run's answer is dropped). */
export type ProjectorReply =
  | { type: 'projection'; run: number; epochs: number; projection: Omit<LiveProjection, 'epochs' | 'ms'>; ms: number }
  | { type: 'failed'; run: number; message: string };
