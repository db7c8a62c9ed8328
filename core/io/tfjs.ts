// core/io/tfjs.ts: convlab models to and from the TF.js layers format. Export: tfjs/export.ts; import: tfjs/import.ts
// (manifest bounded, functional chains linearised), one handler per Keras layer class in tfjs/layers.ts.
export { modelToTfjs, TFJS_WEIGHTS_FILE, type TfjsModelJson, type TfjsWeightEntry } from './tfjs/export.js';
export { modelFromTfjs, type WeightsReader } from './tfjs/import.js';
export { TFJS_SUPPORTED } from './tfjs/layers.js';
