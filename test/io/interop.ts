// test/io/interop.ts: what the format tests share — the shipped cnn, trained small models, 200 test digits,
// and the comparison of two sets of class probabilities.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { loadDigits } from '../../core/node.js';
import { modelFromJSON, Sequential, fit, subset, type LayerConfig } from '../../core/index.js';

export const shippedCnn = (): Sequential =>
  modelFromJSON(readFileSync(new URL('../../viz/public/cnn.json', import.meta.url), 'utf8'), 'cnn.json').model;

/** The first 200 test digits, [200,1,28,28] values and labels. */
export function testDigits(count = 200) {
  const { test } = loadDigits();
  return subset(test, Array.from({ length: count }, (_, i) => i));
}

/** A small model of `layers`, trained one short epoch so its weights are not the initial ones. */
export function trained(layers: LayerConfig[], inputShape = [1, 28, 28], seed = 3): Sequential {
  const model = new Sequential({ inputShape, layers, init: 'heUniform', seed });
  const { train } = loadDigits();
  fit(model, subset(train, Array.from({ length: 600 }, (_, i) => i * 13)), { epochs: 1, batchSize: 32, seed, optimizer: { type: 'adam', learningRate: 0.003 } });
  return model;
}

/** max |Δp| ≤ tolerance and the same predicted class for every sample. */
export function expectSamePredictions(actual: ArrayLike<number>, expected: ArrayLike<number>, classes: number, tolerance = 1e-4): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tolerance);
  const argmax = (p: ArrayLike<number>, n: number) => { let best = 0; for (let k = 1; k < classes; k++) if (p[n * classes + k] > p[n * classes + best]) best = k; return best; };
  const samples = actual.length / classes;
  for (let n = 0; n < samples; n++) expect(argmax(actual, n), `sample ${n}`).toBe(argmax(expected, n));
  return worst;
}
