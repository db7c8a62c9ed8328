// core/io/modelFile.ts: a model as one versioned JSON document (architecture, weights, training settings).
// Weights are little-endian float32 in base64, so a save→load round trip is bit-exact.
import { Sequential, planModel } from '../nn/model.js';
import { initializers } from '../nn/init.js';
import { sizeOf } from '../tensor.js';
import type { LayerConfig } from '../nn/layers.js';
import type { Initializer } from '../nn/init.js';
import { checkRunningStatistics } from '../ops/batchNorm.js';

export const MODEL_FORMAT = 'convlab-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: number;
  inputShape: number[];
  layers: LayerConfig[];
  init: Initializer;
  /** One entry per parameter, in model.params() order. */
  weights: TensorEntry[];
  /** Non-trainable state, in model.state() order: batchNorm's runningMean and runningVar. Absent when no layer has any. */
  state?: TensorEntry[];
  /** How the model was trained (free form: preset, optimizer, epochs, seed, figures). */
  training?: Record<string, unknown>;
  /** What the model expects of its input (absent: convlab's own inputs as they are). */
  inputScale?: InputScale;
}

/**
 * What a model expects of its input, from the inputs convlab gives (pixels in [0,1], a table's features as trained):
 * each value x becomes (x − mean)/std — one mean and std for every value, or one per channel of [C,H,W] pictures.
 * PyTorch's MNIST examples: mean [0.1307], std [0.3081]; a model that wants pixels 0–255: mean [0], std [1/255].
 */
export interface InputScale { mean: number[]; std: number[] }

/** The input scale of a file (a model file's field, an ONNX or TF.js file's metadata), checked against the model's
 *  input: finite means, spreads > 0, one of each or one per channel. `where` names it in the error. */
export function readInputScale(value: unknown, inputShape: readonly number[], where: string): InputScale {
  const channels = inputShape.length === 3 ? inputShape[0] : 1;
  const { mean, std } = (value ?? {}) as Partial<InputScale>;
  const numbers = (v: unknown, positive: boolean): v is number[] => Array.isArray(v) && (v.length === 1 || v.length === channels) &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0));
  if (value === null || typeof value !== 'object' || !numbers(mean, false) || !numbers(std, true) || mean.length !== std.length) {
    const found = JSON.stringify(value)?.slice(0, 80) ?? 'nothing';
    throw new ModelFileError(`${where} is damaged: the input scale must be {"mean": [...], "std": [...]} with 1${channels > 1 ? ` or ${channels}` : ''} ` +
      `finite mean(s) and as many spreads > 0, got ${found}`);
  }
  return { mean: mean.slice(), std: std.slice() };
}

/** Scale samples of `sampleShape` in place as the model expects (nothing without a scale). */
export function scaleInput(inputs: Float32Array, scale: InputScale | undefined, sampleShape: readonly number[]): void {
  if (!scale) return;
  const per = scale.mean.length === 1 ? inputs.length : sampleShape.slice(1).reduce((a, b) => a * b, 1);
  for (let start = 0, k = 0; start < inputs.length; start += per, k = (k + 1) % scale.mean.length) {
    const mean = scale.mean[k], std = scale.std[k];
    for (let i = start; i < start + per; i++) inputs[i] = (inputs[i] - mean) / std;
  }
}

/** A tensor in the file: its layer, name, shape and little-endian float32 values in base64. */
export interface TensorEntry { layer: number; name: string; shape: number[]; data: string }

export class ModelFileError extends Error {
  constructor(message: string) { super(message); this.name = 'ModelFileError'; }
}

/** The model as a plain JSON-ready object. */
export function serializeModel(model: Sequential, training?: Record<string, unknown>, inputScale?: InputScale): ModelFile {
  const entries = (of: 'params' | 'state') => model.layers.flatMap((layer, index) => layer[of]().map((p) => ({
    layer: index, name: p.name, shape: p.value.shape.slice(), data: encodeFloat32(p.value.data),
  })));
  const weights = entries('params'), state = entries('state');
  return { format: MODEL_FORMAT, version: MODEL_VERSION, inputShape: model.inputShape.slice(), layers: model.configs, init: model.init, weights,
    ...(state.length > 0 ? { state } : {}), training, ...(inputScale ? { inputScale } : {}) };
}

/** The model as JSON text. */
export function modelToJSON(model: Sequential, training?: Record<string, unknown>, inputScale?: InputScale): string {
  return JSON.stringify(serializeModel(model, training, inputScale));
}

/** A model from JSON text or a parsed object; a damaged, truncated, foreign or newer file throws ModelFileError. */
export function modelFromJSON(source: string | unknown, name = 'model file'): { model: Sequential; training?: Record<string, unknown>; inputScale?: InputScale } {
  let file: ModelFile;
  if (typeof source === 'string') {
    try { file = JSON.parse(source); } catch (error) {
      throw new ModelFileError(`${name} is not valid JSON (damaged or truncated?): ${(error as Error).message}`);
    }
  } else file = source as ModelFile;
  if (file === null || typeof file !== 'object' || file.format !== MODEL_FORMAT) {
    throw new ModelFileError(`${name} is not a convlab model (expected "format": "${MODEL_FORMAT}")`);
  }
  if (file.version !== MODEL_VERSION) {
    const v = file.version;
    if (typeof v === 'number' && Number.isInteger(v) && v > MODEL_VERSION) {
      throw new ModelFileError(`${name} has format version ${v}, newer than this convlab reads (${MODEL_VERSION}): upgrade convlab`);
    }
    throw new ModelFileError(`${name} is damaged: "version" must be the number ${MODEL_VERSION}, got ${JSON.stringify(v) ?? 'nothing'}`);
  }
  if (!Array.isArray(file.layers) || !Array.isArray(file.inputShape) || !Array.isArray(file.weights)) {
    throw new ModelFileError(`${name} is damaged: it lacks inputShape, layers or weights`);
  }
  if (file.init !== undefined && !initializers.includes(file.init)) {
    throw new ModelFileError(`${name} is damaged: "init" must be one of ${initializers.join(', ')}, got ${JSON.stringify(file.init)}`);
  }
  // the architecture, its shapes, limits and every weight entry are checked before the model is allocated
  let plan: ReturnType<typeof planModel>;
  try { plan = planModel(file.inputShape, file.layers); }
  catch (error) { throw new ModelFileError(`${name} describes an impossible network: ${(error as Error).message}`); }
  const values = readTensors(name, 'weight', plan.layers.flatMap((layer, index) => layer.params.map((p) => ({ index, name: p.name, shape: p.shape }))), file.weights);
  const expectedState = plan.layers.flatMap((layer, index) => (layer.state ?? []).map((p) => ({ index, name: p.name, shape: p.shape })));
  if (file.state !== undefined && !Array.isArray(file.state)) throw new ModelFileError(`${name} is damaged: "state" must be a list of tensors`);
  const state = readTensors(name, 'state', expectedState, file.state ?? []);
  const inputScale = file.inputScale === undefined ? undefined : readInputScale(file.inputScale, file.inputShape, name);
  // batchNorm's running statistics: finite means, variances ≥ 0 (a negative one would give NaN outputs)
  for (let i = 0; i + 1 < expectedState.length; i += 2) {
    try { checkRunningStatistics(`layer ${expectedState[i].index} (batchNorm)`, state[i], state[i + 1]); }
    catch (error) { throw new ModelFileError(`${name} is damaged: ${(error as Error).message}`); }
  }
  let model: Sequential;
  try { model = new Sequential({ inputShape: file.inputShape, layers: file.layers, init: file.init ?? 'glorotUniform' }); }
  catch (error) { throw new ModelFileError(`${name} describes an impossible network: ${(error as Error).message}`); }
  model.params().forEach((p, i) => p.value.data.set(values[i]));
  model.state().forEach((p, i) => p.value.data.set(state[i]));
  return { model, training: file.training, ...(inputScale ? { inputScale } : {}) };
}

/** The file's tensors (weights or state) checked one by one against what the network expects, then decoded. */
function readTensors(name: string, kind: 'weight' | 'state', expected: { index: number; name: string; shape: number[] }[], entries: TensorEntry[]): Float32Array[] {
  if (expected.length !== entries.length) {
    throw new ModelFileError(`${name} is damaged: the network has ${expected.length} ${kind} tensors but the file has ${entries.length}`);
  }
  return expected.map(({ index, name: param, shape }, i) => {
    const entry = entries[i];
    const shapeOk = entry !== null && typeof entry === 'object' && entry.layer === index && entry.name === param && Array.isArray(entry.shape) &&
      entry.shape.length === shape.length && entry.shape.every((d, k) => d === shape[k]);
    if (!shapeOk) throw new ModelFileError(`${name} is damaged: ${kind} ${i} should be layer ${index} ${param} [${shape.join(',')}]`);
    const size = sizeOf(shape), length = typeof entry.data === 'string' ? entry.data.length : -1;
    if (length !== base64Length(size * 4)) {
      const bytes = length < 0 ? 0 : (length / 4) * 3 - (entry.data.endsWith('==') ? 2 : entry.data.endsWith('=') ? 1 : 0);
      const found = length < 0 ? 'no base64 text' : length % 4 !== 0 ? `${length} base64 characters (not a multiple of 4)` : bytes % 4 !== 0 ? `${bytes} bytes (not whole float32 values)` : `${bytes / 4}`;
      throw new ModelFileError(`${name} is damaged: layer ${index} ${param} needs ${size} values, the file has ${found}`);
    }
    let data: Float32Array;
    try { data = decodeFloat32(entry.data); } catch (error) {
      throw new ModelFileError(`${name} is damaged: ${kind} ${i} (layer ${index} ${param}) is not valid base64: ${(error as Error).message}`);
    }
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new ModelFileError(`${name} holds a non-finite ${kind === 'weight' ? 'weight' : 'state value'}: layer ${index} ${param} has ${data[bad]} at index ${bad} ` +
        '(its training diverged; retrain it with a smaller learning rate)');
    }
    return data;
  });
}

/** Characters of base64 (with = padding) for `bytes` bytes. */
function base64Length(bytes: number): number { return 4 * Math.ceil(bytes / 3); }

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** BASE64's character codes, by 6-bit value. */
const ENCODE = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder();

/** Base64 of the values' little-endian bytes. Written into one byte array and decoded once: building the text by `+=`
 *  made a rope of 4-character pieces, about 50 bytes of heap per 3 bytes of data, so a lab-cnn checkpoint (1.2 M weights
 *  and Adam's two slots) took ~400 MB of heap for its 19 MB file, and a 12-epoch run peaked at 1.27 GB. */
export function encodeFloat32(values: Float32Array): string {
  let bytes: Uint8Array;
  if (LITTLE_ENDIAN) bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  else {
    bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  }
  const out = new Uint8Array(base64Length(bytes.length)), code = ENCODE;
  const whole = bytes.length - (bytes.length % 3);
  let at = 0;
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[at] = code[triple >> 18]; out[at + 1] = code[(triple >> 12) & 63]; out[at + 2] = code[(triple >> 6) & 63]; out[at + 3] = code[triple & 63];
    at += 4;
  }
  if (whole < bytes.length) {
    const a = bytes[whole], b = whole + 1 < bytes.length ? bytes[whole + 1] : 0, pad = 61; // '='
    out[at] = code[a >> 2]; out[at + 1] = code[((a & 3) << 4) | (b >> 4)];
    out[at + 2] = whole + 1 < bytes.length ? code[(b & 15) << 2] : pad; out[at + 3] = pad;
  }
  return ASCII.decode(out);
}

export function decodeFloat32(text: string): Float32Array {
  if (typeof text !== 'string' || text.length % 4 !== 0) throw new Error('its length is not a multiple of 4');
  // '=' pads only the end (at most two); one anywhere else would silently shift every later byte
  const bad = text.search(/[^A-Za-z0-9+/=]|=(?!=?$)/);
  if (bad >= 0) throw new Error(`unexpected '${text[bad]}' at character ${bad}`);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  // one table lookup per character ('=' reads 0; the check above allowed no other character): a 1.2 M-weight model
  // file (6.4 MB of text) decodes in tens of milliseconds, not half a second
  const value = DECODE;
  let at = 0;
  const whole = text.length - (padding ? 4 : 0);
  for (let i = 0; i < whole; i += 4) {
    const triple = (value[text.charCodeAt(i)] << 18) | (value[text.charCodeAt(i + 1)] << 12) | (value[text.charCodeAt(i + 2)] << 6) | value[text.charCodeAt(i + 3)];
    bytes[at] = triple >> 16; bytes[at + 1] = (triple >> 8) & 255; bytes[at + 2] = triple & 255;
    at += 3;
  }
  if (padding) {
    const i = whole, triple = (value[text.charCodeAt(i)] << 18) | (value[text.charCodeAt(i + 1)] << 12) | (value[text.charCodeAt(i + 2)] << 6) | value[text.charCodeAt(i + 3)];
    if (at < bytes.length) bytes[at++] = (triple >> 16) & 255;
    if (at < bytes.length) bytes[at++] = (triple >> 8) & 255;
  }
  if (bytes.length % 4 !== 0) throw new Error('not whole float32 values');
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer, 0, bytes.length / 4);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** Each base64 character's 6 bits by its char code ('=' and anything else: 0; decodeFloat32 checks the text first). */
const DECODE = (() => { const table = new Uint8Array(128); for (let k = 0; k < 64; k++) table[BASE64.charCodeAt(k)] = k; return table; })();
/** Float32Array views use the platform's byte order; the file's is little-endian (every browser and Node platform here). */
const LITTLE_ENDIAN = new Uint8Array(new Float32Array([1]).buffer)[3] === 0x3f;
