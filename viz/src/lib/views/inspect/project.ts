// One class-map picture: the digits projected at one layer (core's embedLayer) and how well the picture separates the
// classes (core's neighbourPurity). Computed by the projection worker (lib/embed.worker.ts), or on the page's thread
// for the PCA a view waits for first (projector.ts).
import { embedLayer, neighbourPurity, type Sequential, type Embedding, type Projection } from '../../../../../core/index.js';
import type { TestSet } from './data';

/** A projection and how well it separates the classes (core's neighbourPurity: the share of each digit's 10
 *  nearest in the picture of its own class). */
export interface Projected { embedding: Embedding; purity: number }

export function project(model: Sequential, digits: TestSet, at: number, method: Projection): Projected {
  const embedding = embedLayer(model, digits.inputs, digits.count, at, { method });
  return { embedding, purity: neighbourPurity(embedding.xy, digits.labels) };
}
