// exercises/22-playground/train-solution.ts: trains the reference answers' models with convlab and saves them
// (what a student without the Playground page can do too): `npx tsx exercises/22-playground/train-solution.ts`
import { Sequential, fit, type LayerConfig } from '../../core/index.js';
import { saveModel } from '../../core/node.js';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { makeData, featureRows, type DataName, type Feature } from './data.js';

const here = dirname(fileURLToPath(import.meta.url));

function train(name: DataName, features: Feature[], layers: LayerConfig[], epochs: number, learningRate: number) {
  const points = makeData(name, 400, name === 'spiral' ? 0.1 : 0, 1);
  const model = new Sequential({ inputShape: [features.length], layers, seed: 1 });
  const data = { inputs: featureRows(points, features), labels: Int32Array.from(points.map((p) => p.label)), sampleShape: [features.length], classes: 2 };
  const result = fit(model, data, { epochs, batchSize: 10, loss: 'crossEntropy', optimizer: { type: 'adam', learningRate }, seed: 1 });
  const last = result.history[result.history.length - 1];
  saveModel(join(here, 'models', `${name}.json`), model, { data: name, features, epochs, accuracy: last.accuracy });
  console.log(`${name}: training accuracy ${(last.accuracy * 100).toFixed(1)} %`);
}

train('xor', ['x1x2'], [{ type: 'dense', units: 2 }, { type: 'softmax' }], 40, 0.05);
train('spiral', ['x1', 'x2', 'sin(x1)', 'sin(x2)'], [{ type: 'dense', units: 8 }, { type: 'tanh' }, { type: 'dense', units: 8 }, { type: 'tanh' }, { type: 'dense', units: 2 }, { type: 'softmax' }], 300, 0.01);
