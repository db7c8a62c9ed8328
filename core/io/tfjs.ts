// core/io/tfjs.ts: convlab models to and from the TF.js layers format (model.json + one float32 weights file),
// which tf.loadLayersModel reads and tensorflowjs_converter turns into a Keras .h5 file.
// Keras keeps a sample as [H,W,C] (channels last); convlab as [C,H,W]. So:
//   conv kernels   convlab [K,C,kh,kw]  ↔ Keras [kh,kw,C,K]
//   dense weights  convlab [out,in]     ↔ Keras [in,out]
//   flatten order  convlab (c,h,w)      ↔ Keras (h,w,c): the first dense after a flatten of C > 1 maps has its
//                  input rows permuted (or, with nothing to absorb it, a Permute([3,1,2]) goes before Flatten).
// A wrong order still loads and predicts wrongly, so the tests compare predictions, not just shapes.
import { Sequential } from '../nn/model.js';
import { ConvLayer, DenseLayer, type LayerConfig } from '../nn/layers.js';
import type { Pair } from '../tensor.js';
import { ModelFileError } from './modelFile.js';
import { MAX_LAYERS, MAX_PARAMETERS, countOf, checkSampleShape, float32FromBytes, bytesFromFloat32 } from './limits.js';

export const TFJS_WEIGHTS_FILE = 'weights.bin';

export const TFJS_SUPPORTED = 'InputLayer, Conv2D (valid/same, strides), ZeroPadding2D (before a valid Conv2D), Activation ' +
  '(relu, sigmoid, tanh, softmax, linear), ReLU, LeakyReLU, Softmax, MaxPooling2D (valid), LayerNormalization (axis [1,2], ' +
  'no centre or scale), Flatten, Permute([3,1,2]) before Flatten, Dense, Dropout';

export interface TfjsWeightEntry { name: string; shape: number[]; dtype: string; quantization?: unknown }
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: 'Sequential'; config: { name: string; layers: KerasLayer[] }; keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: TfjsWeightEntry[] }[];
}
interface KerasLayer { class_name: string; config: Record<string, unknown> }

const ELEMENTWISE = new Set(['relu', 'sigmoid', 'tanh', 'leakyRelu', 'dropout']);
const pair = (value: Pair | null | undefined, fallback: number): [number, number] =>
  value === undefined || value === null ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0], value[1]];

// ─── export ──────────────────────────────────────────────────────────────────────────────────────────────

/** The model as TF.js layers-format artifacts: model.json (as an object) and the bytes of its weights file. */
export function modelToTfjs(model: Sequential, weightsFile = TFJS_WEIGHTS_FILE): { modelJson: TfjsModelJson; weights: Uint8Array } {
  const layers: KerasLayer[] = [];
  const entries: TfjsWeightEntry[] = [];
  const chunks: Float32Array[] = [];
  const counts = new Map<string, number>();
  const add = (className: string, prefix: string, config: Record<string, unknown>) => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    const name = `${prefix}_${n}`;
    layers.push({ class_name: className, config: { ...config, name, trainable: true } });
    return name;
  };
  const weight = (name: string, shape: number[], values: Float32Array) => { entries.push({ name, shape, dtype: 'float32' }); chunks.push(values); };
  // flatten order of the vector the next dense reads: null when (c,h,w) and (h,w,c) agree
  let permuted: number[] | null = null;

  model.layers.forEach((layer, index) => {
    const config = layer.config;
    const shape = layer.inputShape;
    const flattenMaps = () => {
      if (shape.length !== 3) { add('Flatten', 'flatten', {}); return; }
      const [C, H, W] = shape;
      // nothing but element-wise layers until a dense: that dense absorbs the order; otherwise Keras permutes first
      let next = index + (config.type === 'flatten' ? 1 : 0);
      while (next < model.layers.length && ELEMENTWISE.has(model.configs[next].type)) next++;
      if (C > 1 && model.configs[next]?.type !== 'dense') add('Permute', 'permute', { dims: [3, 1, 2] });
      else if (C > 1) permuted = kerasToConvlabOrder(C, H, W);
      add('Flatten', 'flatten', {});
    };
    switch (config.type) {
      case 'conv': {
        const conv = layer as ConvLayer;
        const [K, C, kh, kw] = conv.kernels.shape;
        let padding = config.padding ?? 'valid';
        if (typeof padding !== 'string') {
          const [ph, pw] = pair(padding, 0);
          if (ph || pw) add('ZeroPadding2D', 'zero_padding2d', { padding: [[ph, ph], [pw, pw]], data_format: 'channels_last' });
          padding = 'valid';
        }
        const name = add('Conv2D', 'conv2d', { filters: K, kernel_size: [kh, kw], strides: pair(config.stride, 1), padding,
          data_format: 'channels_last', dilation_rate: [1, 1], activation: 'linear', use_bias: true });
        // [K,C,kh,kw] → [kh,kw,C,K]
        const source = conv.kernels.data, kernel = new Float32Array(source.length);
        for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
          kernel[((u * kw + v) * C + c) * K + k] = source[((k * C + c) * kh + u) * kw + v];
        }
        weight(`${name}/kernel`, [kh, kw, C, K], kernel);
        weight(`${name}/bias`, [K], Float32Array.from(conv.bias.data));
        break;
      }
      case 'dense': {
        if (shape.length > 1) flattenMaps(); // convlab's dense flattens by itself; Keras's would act on the last axis only
        const dense = layer as DenseLayer;
        const [outputs, inputs] = dense.weights.shape;
        const name = add('Dense', 'dense', { units: outputs, activation: 'linear', use_bias: true });
        // [out,in] → [in,out], Keras row i reading convlab column order[i]
        const source = dense.weights.data, kernel = new Float32Array(source.length), order = permuted;
        for (let i = 0; i < inputs; i++) {
          const column = order ? order[i] : i;
          for (let o = 0; o < outputs; o++) kernel[i * outputs + o] = source[o * inputs + column];
        }
        permuted = null;
        weight(`${name}/kernel`, [inputs, outputs], kernel);
        weight(`${name}/bias`, [outputs], Float32Array.from(dense.bias.data));
        break;
      }
      case 'relu': case 'sigmoid': case 'tanh': case 'softmax':
        add('Activation', 'activation', { activation: config.type });
        break;
      case 'leakyRelu': add('LeakyReLU', 'leaky_re_lu', { alpha: config.alpha ?? 0.01 }); break;
      case 'maxPool': {
        const size = pair(config.size, 1);
        add('MaxPooling2D', 'max_pooling2d', { pool_size: size, strides: config.stride === undefined || config.stride === null ? size : pair(config.stride, 1),
          padding: 'valid', data_format: 'channels_last' });
        break;
      }
      // convlab normalises each map of each sample over its H×W values: Keras axes 1 and 2 of [N,H,W,C]
      case 'normalize': add('LayerNormalization', 'layer_normalization', { axis: [1, 2], epsilon: config.eps ?? 1e-5, center: false, scale: false }); break;
      case 'flatten': flattenMaps(); break;
      case 'dropout': add('Dropout', 'dropout', { rate: config.rate }); break;
    }
  });
  const input = model.inputShape.length === 3 ? [model.inputShape[1], model.inputShape[2], model.inputShape[0]] : model.inputShape.slice();
  layers[0].config = { batch_input_shape: [null, ...input], dtype: 'float32', ...layers[0].config };
  const total = chunks.reduce((sum, c) => sum + c.length, 0), all = new Float32Array(total);
  chunks.reduce((at, c) => { all.set(c, at); return at + c.length; }, 0);
  return {
    modelJson: {
      format: 'layers-model', generatedBy: 'convlab', convertedBy: null,
      modelTopology: { class_name: 'Sequential', config: { name: 'sequential', layers }, keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js' },
      weightsManifest: [{ paths: [weightsFile], weights: entries }],
    },
    weights: bytesFromFloat32(all),
  };
}

/** order[i] = the convlab (c,h,w) index of Keras's (h,w,c) flat index i. */
function kerasToConvlabOrder(C: number, H: number, W: number): number[] {
  const order = new Array<number>(C * H * W);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) order[(h * W + w) * C + c] = (c * H + h) * W + w;
  return order;
}

// ─── import ──────────────────────────────────────────────────────────────────────────────────────────────

/** Reads one weights file named by the manifest; `bytes` is the most the manifest allows for its group. */
export type WeightsReader = (path: string, bytes: number) => Uint8Array;

/** A convlab model from a TF.js layers model.json (text or parsed) and a reader for the files its manifest names. */
export function modelFromTfjs(source: string | unknown, readWeights: WeightsReader, name = 'model.json'): Sequential {
  let json: Record<string, unknown>;
  if (typeof source === 'string') {
    try { json = JSON.parse(source); } catch (error) { throw new ModelFileError(`${name} is not valid JSON: ${(error as Error).message}`); }
  } else json = source as Record<string, unknown>;
  if (!json || typeof json !== 'object' || !json.modelTopology) throw new ModelFileError(`${name} is not a TF.js layers model (no "modelTopology")`);
  const manifest = readManifest(json.weightsManifest, name);
  const layers = topologyLayers(json.modelTopology, name);
  const { inputShape, configs, weights } = translate(layers, manifest, name);
  const used = new Set(weights.map((w) => w.entry));
  const extra = manifest.entries.find((e) => !used.has(e));
  if (extra) throw new ModelFileError(`${name}: the weights manifest names '${extra.name}', which no layer of the model has`);

  // every shape is checked and bounded: now read, then build
  const values = readValues(manifest, readWeights, name);
  let model: Sequential;
  try { model = new Sequential({ inputShape, layers: configs }); } catch (error) {
    throw new ModelFileError(`${name} describes a network convlab cannot build: ${(error as Error).message}`);
  }
  for (const w of weights) {
    const target = model.layers[w.layer] as ConvLayer | DenseLayer;
    const data = values.get(w.entry)!;
    if (w.role === 'bias') { (target.bias.data).set(data); continue; }
    if (target instanceof ConvLayer) {
      const [K, C, kh, kw] = target.kernels.shape, out = target.kernels.data;
      for (let k = 0; k < K; k++) for (let c = 0; c < C; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
        out[((k * C + c) * kh + u) * kw + v] = data[((u * kw + v) * C + c) * K + k];
      }
    } else {
      const [outputs, inputs] = target.weights.shape, out = target.weights.data;
      for (let i = 0; i < inputs; i++) {
        const column = w.order ? w.order[i] : i;
        for (let o = 0; o < outputs; o++) out[o * inputs + column] = data[i * outputs + o];
      }
    }
  }
  return model;
}

interface Manifest { groups: { paths: string[]; entries: TfjsWeightEntry[]; bytes: number }[]; entries: TfjsWeightEntry[]; byName: Map<string, TfjsWeightEntry> }

function readManifest(raw: unknown, name: string): Manifest {
  if (raw === undefined) return { groups: [], entries: [], byName: new Map() };
  if (!Array.isArray(raw)) throw new ModelFileError(`${name}: "weightsManifest" must be a list of {paths, weights} groups`);
  let total = 0;
  const byName = new Map<string, TfjsWeightEntry>();
  const groups = raw.map((group, g) => {
    if (!group || !Array.isArray(group.paths) || !group.paths.every((p: unknown) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw new ModelFileError(`${name}: weightsManifest group ${g} must have "paths" (file names) and "weights" (a list)`);
    }
    for (const path of group.paths as string[]) {
      // weights sit beside model.json: no URL, no absolute path, no way up
      if (/^[a-z][a-z0-9+.-]*:|^[/\\]/i.test(path) || path.split(/[/\\]/).includes('..')) {
        throw new ModelFileError(`${name}: weights path '${path}' must be a file name beside the model.json (no URL, absolute path or '..')`);
      }
    }
    let bytes = 0;
    for (const entry of group.weights as TfjsWeightEntry[]) {
      if (!entry || typeof entry.name !== 'string') throw new ModelFileError(`${name}: a weight in weightsManifest group ${g} has no name`);
      if (entry.dtype !== 'float32') throw new ModelFileError(`${name}: weight '${entry.name}' has dtype ${entry.dtype}; convlab reads float32 weights only`);
      if (entry.quantization) throw new ModelFileError(`${name}: weight '${entry.name}' is quantized; convlab reads unquantized float32 weights only`);
      if (byName.has(entry.name)) throw new ModelFileError(`${name}: the weights manifest names '${entry.name}' twice`);
      const count = countOf(entry.shape, `${name}: weight '${entry.name}'`, MAX_PARAMETERS, 'parameter');
      total += count;
      if (total > MAX_PARAMETERS) throw new ModelFileError(`${name}: the weights manifest declares more than the limit of ${MAX_PARAMETERS} parameters`);
      bytes += count * 4;
      byName.set(entry.name, entry);
    }
    if (group.weights.length > 0 && group.paths.length === 0) throw new ModelFileError(`${name}: weightsManifest group ${g} names no weights file`);
    return { paths: group.paths as string[], entries: group.weights as TfjsWeightEntry[], bytes };
  });
  return { groups, entries: groups.flatMap((g) => g.entries), byName };
}

function readValues(manifest: Manifest, readWeights: WeightsReader, name: string): Map<TfjsWeightEntry, Float32Array> {
  const values = new Map<TfjsWeightEntry, Float32Array>();
  for (const group of manifest.groups) {
    if (group.entries.length === 0) continue;
    const parts: Uint8Array[] = [];
    let length = 0;
    for (const path of group.paths) {
      const part = readWeights(path, group.bytes - length);
      parts.push(part);
      length += part.length;
      if (length > group.bytes) break;
    }
    if (length !== group.bytes) {
      const files = group.paths.join(', ');
      throw new ModelFileError(length < group.bytes
        ? `weights file ${files} is short: it has ${length} bytes, the manifest in ${name} needs ${group.bytes} (float32 ${group.entries.map((e) => `${e.name} [${e.shape.join(',')}]`).join(', ')})`
        : `weights file ${files} has more bytes than the ${group.bytes} the manifest in ${name} describes (another model's weights?)`);
    }
    const bytes = parts.length === 1 ? parts[0] : concat(parts, length);
    let at = 0;
    for (const entry of group.entries) {
      const count = entry.shape.reduce((a, b) => a * b, 1);
      values.set(entry, float32FromBytes(bytes, at, count));
      at += count * 4;
    }
  }
  return values;
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  parts.reduce((at, p) => { out.set(p, at); return at + p.length; }, 0);
  return out;
}

function topologyLayers(topology: unknown, name: string): KerasLayer[] {
  let model = topology as Record<string, unknown>;
  if (model && typeof model === 'object' && 'model_config' in model) model = model.model_config as Record<string, unknown>; // the Keras converter's wrapping
  if (!model || typeof model !== 'object') throw new ModelFileError(`${name}: "modelTopology" is not an object`);
  if (model.class_name !== 'Sequential') {
    throw new ModelFileError(`${name} holds a ${String(model.class_name)} model; convlab imports Sequential models (one layer after another)`);
  }
  const config = model.config as { layers?: unknown } | unknown[];
  const layers = Array.isArray(config) ? config : (config as { layers?: unknown })?.layers;
  if (!Array.isArray(layers) || layers.length === 0) throw new ModelFileError(`${name}: the Sequential model lists no layers`);
  if (layers.length > MAX_LAYERS) throw new ModelFileError(`${name} has ${layers.length} layers, more than the limit of ${MAX_LAYERS}`);
  layers.forEach((layer, i) => {
    if (!layer || typeof layer.class_name !== 'string' || !layer.config || typeof layer.config !== 'object') {
      throw new ModelFileError(`${name}: layer ${i} has no "class_name" and "config"`);
    }
  });
  return layers as KerasLayer[];
}

interface PendingWeight { layer: number; role: 'kernel' | 'bias'; entry: TfjsWeightEntry; order?: number[] }

/** Keras layers → convlab layer configs, with each weight's manifest entry checked against the shape it must have. */
function translate(layers: KerasLayer[], manifest: Manifest, name: string) {
  const configs: LayerConfig[] = [];
  const weights: PendingWeight[] = [];
  let shape: number[] | null = null; // convlab per-sample shape: [C,H,W] or [n]
  let inputShape: number[] | null = null;
  let padding: [number, number] | null = null; // from a ZeroPadding2D, for the next Conv2D
  let channelsFirst = false; // after Permute([3,1,2]): Keras holds [C,H,W], only a Flatten may follow
  let order: number[] | undefined; // flatten order to undo in the next dense

  const refuse = (layer: KerasLayer, why: string): never => {
    throw new ModelFileError(`${name}: cannot import layer '${String(layer.config.name ?? layer.class_name)}' (${layer.class_name}): ${why}. ` +
      `convlab imports ${TFJS_SUPPORTED}`);
  };
  const takeWeight = (layer: KerasLayer, role: 'kernel' | 'bias', expected: number[], index: number, weightOrder?: number[]) => {
    const layerName = String(layer.config.name);
    const entry = manifest.byName.get(`${layerName}/${role}`) ??
      manifest.entries.find((e) => e.name.endsWith(`/${layerName}/${role}`)); // Keras 3 prefixes the model's name
    if (!entry) throw new ModelFileError(`${name}: the weights manifest has no '${layerName}/${role}' for layer '${layerName}' (${layer.class_name})`);
    if (entry.shape.length !== expected.length || entry.shape.some((d, i) => d !== expected[i])) {
      throw new ModelFileError(`${name}: weight '${entry.name}' has shape [${entry.shape.join(',')}] but layer '${layerName}' needs [${expected.join(',')}]`);
    }
    weights.push({ layer: index, role, entry, order: weightOrder });
  };
  const activation = (layer: KerasLayer, value: unknown) => {
    const kind = value ?? 'linear';
    if (kind === 'linear') return;
    if (kind === 'relu' || kind === 'sigmoid' || kind === 'tanh') { configs.push({ type: kind }); return; }
    if (kind === 'softmax') {
      if (order) refuse(layer, 'a softmax straight after a Flatten of maps in Keras order (h,w,c) would list its outputs in another order');
      if (shape!.length !== 1) refuse(layer, 'softmax over the channels of maps has no convlab layer');
      configs.push({ type: 'softmax' });
      return;
    }
    refuse(layer, `activation '${String(kind)}' is not relu, sigmoid, tanh, softmax or linear`);
  };
  const ints = (layer: KerasLayer, key: string, value: unknown, fallback?: [number, number]): [number, number] => {
    if ((value === undefined || value === null) && fallback) return fallback;
    if (Number.isInteger(value) && (value as number) > 0) return [value as number, value as number];
    if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && v > 0)) return [value[0], value[1]];
    return refuse(layer, `${key} ${JSON.stringify(value)} is not one or two positive integers`);
  };
  const compact = ([a, b]: [number, number]): Pair => (a === b ? a : [a, b]);

  layers.forEach((layer, position) => {
    const config = layer.config;
    if (position === 0 || layer.class_name === 'InputLayer') {
      const declared = (config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape) as unknown;
      if (Array.isArray(declared)) {
        if (shape) refuse(layer, 'an input layer may only come first');
        const sizes = declared.slice(1);
        if (sizes.length === 3 && config.data_format !== 'channels_first') shape = [sizes[2], sizes[0], sizes[1]];
        else if (sizes.length === 1) shape = sizes;
        else refuse(layer, `input shape ${JSON.stringify(declared)} is neither [null,H,W,C] images nor [null,n] vectors`);
        checkSampleShape(shape!, `${name}: the input`);
        inputShape = shape!.slice();
      } else if (position === 0) throw new ModelFileError(`${name}: the first layer declares no input shape (batch_input_shape)`);
    }
    if (layer.class_name === 'InputLayer') return;
    if (padding && layer.class_name !== 'Conv2D') refuse(layer, 'ZeroPadding2D must be followed by a Conv2D');
    if (channelsFirst && layer.class_name !== 'Flatten') refuse(layer, 'Permute([3,1,2]) must be followed by Flatten');
    if (order && !['Dense', 'Activation', 'ReLU', 'LeakyReLU', 'Dropout'].includes(layer.class_name)) {
      refuse(layer, 'after a Flatten of maps in Keras order (h,w,c) only element-wise layers and a Dense may follow');
    }
    const s = shape!;
    const spatial = () => { if (s.length !== 3) refuse(layer, `it needs [H,W,C] maps but gets a vector of ${s[0]}`); return s; };
    const index = () => configs.length;
    switch (layer.class_name) {
      case 'Conv2D': {
        const [C, H, W] = spatial();
        if (config.data_format && config.data_format !== 'channels_last') refuse(layer, `data_format ${String(config.data_format)} (convlab reads channels_last Keras models)`);
        const dilation = ints(layer, 'dilation_rate', config.dilation_rate, [1, 1]);
        if (dilation[0] !== 1 || dilation[1] !== 1) refuse(layer, 'dilated convolution is not supported');
        if (config.groups !== undefined && config.groups !== 1) refuse(layer, 'grouped convolution is not supported');
        const filters = config.filters as number;
        if (!Number.isInteger(filters) || filters < 1) refuse(layer, `filters ${JSON.stringify(filters)} is not a positive integer`);
        const [kh, kw] = ints(layer, 'kernel_size', config.kernel_size);
        const [sh, sw] = ints(layer, 'strides', config.strides, [1, 1]);
        const mode = config.padding ?? 'valid';
        if (mode !== 'valid' && mode !== 'same') refuse(layer, `padding '${String(mode)}' is not valid or same`);
        if (padding && mode !== 'valid') refuse(layer, 'ZeroPadding2D followed by a same-padded Conv2D has no convlab equivalent');
        const [ph, pw] = padding ?? [0, 0];
        const out = mode === 'same' ? [Math.ceil(H / sh), Math.ceil(W / sw)] : [Math.floor((H + 2 * ph - kh) / sh) + 1, Math.floor((W + 2 * pw - kw) / sw) + 1];
        if (!(out[0] >= 1 && out[1] >= 1)) refuse(layer, `a ${kh}×${kw} kernel does not fit the ${H}×${W} maps`);
        configs.push({ type: 'conv', filters, kernelSize: compact([kh, kw]), ...(sh !== 1 || sw !== 1 ? { stride: compact([sh, sw]) } : {}),
          ...(padding ? { padding: compact(padding) } : mode === 'same' ? { padding: 'same' } : {}) });
        countOf([filters, C, kh, kw], `${name}: layer '${String(config.name)}' kernel`, MAX_PARAMETERS, 'parameter');
        takeWeight(layer, 'kernel', [kh, kw, C, filters], index() - 1);
        if (config.use_bias !== false) takeWeight(layer, 'bias', [filters], index() - 1);
        shape = [filters, out[0], out[1]];
        padding = null;
        checkSampleShape(shape, `${name}: the output of layer '${String(config.name)}'`);
        activation(layer, config.activation);
        break;
      }
      case 'ZeroPadding2D': {
        spatial();
        const p = config.padding ?? 1;
        let pads: number[] | null = null;
        if (Number.isInteger(p)) pads = [p as number, p as number, p as number, p as number];
        else if (Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v))) pads = [p[0], p[0], p[1], p[1]];
        else if (Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)) pads = [p[0][0], p[0][1], p[1][0], p[1][1]];
        if (!pads || pads.some((v) => !Number.isInteger(v) || v < 0)) return refuse(layer, `padding ${JSON.stringify(p)} is not understood`);
        if (pads[0] !== pads[1] || pads[2] !== pads[3]) refuse(layer, `uneven padding ${JSON.stringify(p)} (convlab pads top = bottom and left = right)`);
        if (padding) refuse(layer, 'two ZeroPadding2D in a row');
        padding = [pads[0], pads[2]];
        break;
      }
      case 'Activation': activation(layer, config.activation); break;
      case 'ReLU': {
        const slope = (config.negative_slope ?? 0) as number;
        if ((config.max_value !== undefined && config.max_value !== null) || (config.threshold ?? 0) !== 0) refuse(layer, 'a capped or shifted ReLU is not supported');
        configs.push(slope ? { type: 'leakyRelu', alpha: slope } : { type: 'relu' });
        break;
      }
      case 'LeakyReLU': {
        const alpha = (config.alpha ?? config.negative_slope ?? 0.3) as number; // 0.3: Keras's default
        if (typeof alpha !== 'number' || !Number.isFinite(alpha)) refuse(layer, `alpha ${JSON.stringify(alpha)} is not a number`);
        configs.push({ type: 'leakyRelu', alpha });
        break;
      }
      case 'Softmax':
        if (s.length !== 1 || ![-1, 1, undefined].includes(config.axis as number)) refuse(layer, 'only a softmax over a vector is supported');
        configs.push({ type: 'softmax' });
        break;
      case 'MaxPooling2D': {
        const [, H, W] = spatial();
        if (config.data_format && config.data_format !== 'channels_last') refuse(layer, `data_format ${String(config.data_format)}`);
        if ((config.padding ?? 'valid') !== 'valid') refuse(layer, `padding '${String(config.padding)}' (convlab drops windows that run past the edge: valid)`);
        const size = ints(layer, 'pool_size', config.pool_size, [2, 2]);
        const stride = ints(layer, 'strides', config.strides, size);
        const out = [Math.floor((H - size[0]) / stride[0]) + 1, Math.floor((W - size[1]) / stride[1]) + 1];
        if (!(out[0] >= 1 && out[1] >= 1)) refuse(layer, `a ${size.join('×')} window does not fit the ${H}×${W} maps`);
        configs.push({ type: 'maxPool', size: compact(size), ...(stride[0] !== size[0] || stride[1] !== size[1] ? { stride: compact(stride) } : {}) });
        shape = [s[0], out[0], out[1]];
        break;
      }
      case 'LayerNormalization': {
        spatial();
        const axis = Array.isArray(config.axis) ? (config.axis as number[]).map((a) => (a < 0 ? a + 4 : a)).sort() : [config.axis];
        if (axis.length !== 2 || axis[0] !== 1 || axis[1] !== 2 || config.center !== false || config.scale !== false) {
          refuse(layer, `convlab's normalize is LayerNormalization over axes [1,2] (each map's height and width) without centre and scale, ` +
            `this one has axis ${JSON.stringify(config.axis)}, center ${String(config.center)}, scale ${String(config.scale)}`);
        }
        const eps = (config.epsilon ?? 1e-3) as number;
        if (!(typeof eps === 'number' && eps > 0)) refuse(layer, `epsilon ${JSON.stringify(config.epsilon)} is not positive`);
        configs.push({ type: 'normalize', eps });
        break;
      }
      case 'Permute': {
        spatial();
        const dims = config.dims as number[];
        if (!Array.isArray(dims) || dims.join(',') !== '3,1,2' || layers[position + 1]?.class_name !== 'Flatten') {
          refuse(layer, `only Permute([3,1,2]) right before a Flatten (the channels-first flatten order) is supported, not ${JSON.stringify(dims)}`);
        }
        channelsFirst = true;
        break;
      }
      case 'Flatten': {
        if (s.length === 3) {
          const [C, H, W] = s;
          if (C > 1 && !channelsFirst) order = kerasToConvlabOrder(C, H, W);
          shape = [C * H * W];
        }
        channelsFirst = false;
        configs.push({ type: 'flatten' });
        break;
      }
      case 'Dense': {
        if (s.length !== 1) refuse(layer, 'a Dense on [H,W,C] maps acts on the last axis only; add a Flatten before it');
        const units = config.units as number;
        if (!Number.isInteger(units) || units < 1) refuse(layer, `units ${JSON.stringify(units)} is not a positive integer`);
        countOf([s[0], units], `${name}: layer '${String(config.name)}' kernel`, MAX_PARAMETERS, 'parameter');
        configs.push({ type: 'dense', units });
        takeWeight(layer, 'kernel', [s[0], units], index() - 1, order);
        if (config.use_bias !== false) takeWeight(layer, 'bias', [units], index() - 1);
        order = undefined;
        shape = [units];
        activation(layer, config.activation);
        break;
      }
      case 'Dropout': {
        const rate = config.rate as number;
        if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) refuse(layer, `rate ${JSON.stringify(rate)} is not in [0, 1)`);
        configs.push({ type: 'dropout', rate });
        break;
      }
      default: refuse(layer, 'convlab has no such layer');
    }
  });
  const last = layers[layers.length - 1];
  if (padding) throw new ModelFileError(`${name}: the model ends with ZeroPadding2D ('${String(last.config.name)}'), which convlab cannot represent alone`);
  if (order) throw new ModelFileError(`${name}: the model ends with a Flatten of maps in Keras order (h,w,c); convlab flattens (c,h,w) and has no layer to reorder`);
  if (configs.length === 0) throw new ModelFileError(`${name}: the model has no layer convlab can run`);
  return { inputShape: inputShape!, configs, weights };
}
