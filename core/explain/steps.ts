// core/explain/steps.ts: the step models, one file per op (conv.ts, maxPool.ts, …), re-exported here so
// `import { explainConv } from './explain/steps.js'` keeps working.
export * from './format.js';
export type { StepList } from './stepList.js';
export * from './conv.js';
export * from './maxPool.js';
export * from './activation.js';
export * from './normalize.js';
export * from './batchNorm.js';
export * from './dense.js';
export * from './softmax.js';
export * from './flatten.js';
export * from './dropout.js';
export * from './layer.js';

/** Index of the step for an output cell (k or c, i, j) in a row-major step list. */
export function stepIndexAt(outShape: number[], map: number, i: number, j: number, onlyOneMap = false): number {
  const [, Ho, Wo] = outShape.length === 3 ? outShape : [1, ...outShape];
  return (onlyOneMap ? 0 : map * Ho * Wo) + i * Wo + j;
}
