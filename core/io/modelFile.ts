// core/io/modelFile.ts: a model as one versioned JSON document (architecture, weights, training settings).
// Weights are little-endian float32 in base64, so a save→load round trip is bit-exact.
import { Sequential } from '../nn/model.js';
import type { LayerConfig } from '../nn/layers.js';
import type { Initializer } from '../nn/init.js';

export const MODEL_FORMAT = 'convlab-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  inputShape: number[];
  layers: LayerConfig[];
  init: Initializer;
  /** One entry per parameter, in model.params() order. */
  weights: { layer: number; name: string; shape: number[]; data: string }[];
  /** How the model was trained (free form: preset, optimizer, epochs, seed, figures). */
  training?: Record<string, unknown>;
}

export class ModelFileError extends Error {
  constructor(message: string) { super(message); this.name = 'ModelFileError'; }
}

/** The model as a plain JSON-ready object. */
export function serializeModel(model: Sequential, training?: Record<string, unknown>): ModelFile {
  const weights = model.layers.flatMap((layer, index) => layer.params().map((p) => ({
    layer: index, name: p.name, shape: p.value.shape.slice(), data: encodeFloat32(p.value.data),
  })));
  return { format: MODEL_FORMAT, version: MODEL_VERSION, inputShape: model.inputShape.slice(), layers: model.configs, init: model.init, weights, training };
}

/** The model as JSON text. */
export function modelToJSON(model: Sequential, training?: Record<string, unknown>): string {
  return JSON.stringify(serializeModel(model, training));
}

/** A model from JSON text or a parsed object; a damaged, truncated, foreign or newer file throws ModelFileError. */
export function modelFromJSON(source: string | unknown, name = 'model file'): { model: Sequential; training?: Record<string, unknown> } {
  let file: ModelFile;
  if (typeof source === 'string') {
    try { file = JSON.parse(source); } catch (error) {
      throw new ModelFileError(`${name} is not valid JSON (damaged or truncated?): ${(error as Error).message}`);
    }
  } else file = source as ModelFile;
  if (file === null || typeof file !== 'object' || file.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${name} is not a convlab model (expected "format": "${MODEL_FORMAT}")`);
  }
  if (typeof file.version !== 'number' || file.version > MODEL_VERSION) {
    throw new ModelFileError(`${name} has format version ${file.version}, newer than this convlab reads (${MODEL_VERSION}): upgrade convlab`);
  }
  if (!Array.isArray(file.layers) || !Array.isArray(file.inputShape) || !Array.isArray(file.weights)) {
    throw new ModelFileError(`${name} is damaged: it lacks inputShape, layers or weights`);
  }
  let model: Sequential;
  try { model = new Sequential({ inputShape: file.inputShape, layers: file.layers, init: file.init ?? 'glorotUniform' }); }
  catch (error) { throw new ModelFileError(`${name} describes an impossible network: ${(error as Error).message}`); }
  const expected = model.layers.flatMap((layer, index) => layer.params().map((p) => ({ index, p })));
  if (expected.length !== file.weights.length) {
    throw new ModelFileError(`${name} is damaged: the network has ${expected.length} weight tensors but the file has ${file.weights.length}`);
  }
  expected.forEach(({ index, p }, i) => {
    const entry = file.weights[i];
    const shapeOk = entry && entry.layer === index && entry.name === p.name && Array.isArray(entry.shape) &&
      entry.shape.length === p.value.dimension && entry.shape.every((d, k) => d === p.value.shape[k]);
    if (!shapeOk) throw new ModelFileError(`${name} is damaged: weight ${i} should be layer ${index} ${p.name} [${p.value.shape.join(',')}]`);
    let values: Float32Array;
    try { values = decodeFloat32(entry.data); } catch { throw new ModelFileError(`${name} is damaged: weight ${i} (layer ${index} ${p.name}) is not valid base64`); }
    if (values.length !== p.value.size) {
      throw new ModelFileError(`${name} is damaged: layer ${index} ${p.name} needs ${p.value.size} values, the file has ${values.length}`);
    }
    p.value.data.set(values);
  });
  return { model, training: file.training };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function encodeFloat32(values: Float32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i], b = bytes[i + 1] ?? 0, c = bytes[i + 2] ?? 0;
    out += BASE64[a >> 2] + BASE64[((a & 3) << 4) | (b >> 4)] +
      (i + 1 < bytes.length ? BASE64[((b & 15) << 2) | (c >> 6)] : '=') + (i + 2 < bytes.length ? BASE64[c & 63] : '=');
  }
  return out;
}

export function decodeFloat32(text: string): Float32Array {
  if (typeof text !== 'string' || text.length % 4 !== 0 || /[^A-Za-z0-9+/=]/.test(text)) throw new Error('not base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const [a, b, c, d] = [0, 1, 2, 3].map((k) => (text[i + k] === '=' ? 0 : BASE64.indexOf(text[i + k])));
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    if (at < bytes.length) bytes[at++] = (triple >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (triple >> 8) & 255;
    if (at < bytes.length) bytes[at++] = triple & 255;
  }
  if (bytes.length % 4 !== 0) throw new Error('not whole float32 values');
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
