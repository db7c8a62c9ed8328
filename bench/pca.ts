// bench/pca.ts: the class map's cost per layer: PCA (core/explain/inspect/pca.ts) of the shipped CNN's activations
// of the 2,000 test digits, the time of the forward to that layer apart. Run: node --import tsx bench/pca.ts [at…]
import { activationsAt, pca, sizeOf } from '../core/index.js';
import { loadModel, loadDigits } from '../core/node.js';

const cnn = loadModel(new URL('../viz/public/cnn.json', import.meta.url).pathname).model;
const { test } = loadDigits();
const count = 2000, wanted = process.argv.slice(2).map(Number);
for (let at = 0; at <= cnn.layers.length; at++) {
  if (wanted.length > 0 && !wanted.includes(at)) continue;
  const values = activationsAt(cnn, test.inputs, count, at, 100);
  const dims = at === 0 ? sizeOf(cnn.inputShape) : sizeOf(cnn.layers[at - 1].outputShape);
  const started = performance.now();
  const result = pca(values, count, dims);
  const seconds = (performance.now() - started) / 1000;
  console.log(`at ${at} (${at === 0 ? 'pixels' : cnn.layers[at - 1].constructor.name}) ${count}×${dims}: ${seconds.toFixed(2)} s, ${result.iterations} steps, ${result.products} products Σv`);
}
