// convlab: the public API. Re-exports only. Node-only helpers (files, bundled data) are in 'convlab/node'.
export * from './tensor.js';
export { seeded, type Random } from './random.js';
export * from './ops/conv3d.js';
export * from './ops/activations.js';
export * from './ops/maxPool.js';
export * from './ops/normalize.js';
export * from './ops/dense.js';
export * from './ops/softmax.js';
export * from './nn/init.js';
export * from './nn/layers.js';
export * from './nn/model.js';
export * from './nn/optimizers.js';
export * from './nn/trainer.js';
export * from './nn/metrics.js';
export * from './nn/presets.js';
export * from './data/dataset.js';
export * from './data/preprocess.js';
export * from './io/modelFile.js';
