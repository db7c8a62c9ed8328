// convlab: the public API. Re-exports only.
export * from './tensor.js';
export { seeded, type Random } from './random.js';
export * from './ops/conv3d.js';
export * from './ops/activations.js';
export * from './ops/maxPool.js';
export * from './ops/normalize.js';
export * from './ops/dense.js';
export * from './ops/softmax.js';
