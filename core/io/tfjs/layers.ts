// core/io/tfjs/layers.ts: one handler per Keras layer class convlab imports from a TF.js layers model (as
// tfjs-converter's op lists), over an import context that carries the running shape and what a layer leaves for
// the next (a ZeroPadding2D's padding for the next Conv2D, a Flatten's (h,w,c) order for the next Dense).
// Output sizes come from the layers' own planner (planLayer: the ops' geometry), not from formulas written here.
import { planLayer, type LayerConfig } from '../../nn/layers.js';
import { readBatchNormSettings } from '../../ops/batchNorm.js';
import type { Pair } from '../../tensor.js';
import { ModelFileError } from '../modelFile.js';
import { MAX_PARAMETERS, countOf, checkSampleShape, nameFromFile as printable } from '../limits.js';
import { kerasToConvlabOrder, type KerasLayer, type TfjsWeightEntry } from './export.js';

export const TFJS_SUPPORTED = 'InputLayer, Conv2D (valid/same, strides), ZeroPadding2D (before a valid Conv2D), Activation ' +
  '(relu, sigmoid, tanh, softmax, linear), ReLU, LeakyReLU, Softmax, MaxPooling2D (valid), LayerNormalization (axis [1,2], ' +
  'no centre or scale), BatchNormalization (over the channels or features), Flatten, Permute([3,1,2]) before Flatten, Dense, Dropout';

export type WeightRole = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';
export interface PendingWeight { layer: number; role: WeightRole; entry: TfjsWeightEntry; order?: number[] }
export interface Manifest { groups: { paths: string[]; entries: TfjsWeightEntry[]; bytes: number }[]; entries: TfjsWeightEntry[]; byName: Map<string, TfjsWeightEntry> }

/** What translating the Keras layers carries from one layer to the next. */
export class KerasImport {
  readonly configs: LayerConfig[] = [];
  readonly weights: PendingWeight[] = [];
  shape: number[] | null = null; // convlab per-sample shape: [C,H,W] or [n]
  inputShape: number[] | null = null;
  padding: [number, number] | null = null; // from a ZeroPadding2D, for the next Conv2D
  channelsFirst = false; // after Permute([3,1,2]): Keras holds [C,H,W], only a Flatten may follow
  order: number[] | undefined; // flatten order to undo in the next dense
  constructor(readonly name: string, readonly manifest: Manifest, readonly layers: KerasLayer[]) {}
}

/** One Keras layer with its config, for a handler. */
export class KerasNode {
  readonly config: Record<string, unknown>;
  readonly layerName: string;
  constructor(readonly layer: KerasLayer, readonly position: number, readonly ctx: KerasImport) {
    this.config = layer.config;
    this.layerName = String(layer.config.name ?? layer.class_name);
  }
  refuse = (why: string): never => {
    throw new ModelFileError(`${this.ctx.name}: cannot import layer '${printable(this.layerName)}' (${printable(this.layer.class_name)}): ${why}. ` +
      `convlab imports ${TFJS_SUPPORTED}`);
  };
  get shape(): number[] { return this.ctx.shape!; }
  spatial(): number[] {
    const s = this.ctx.shape!;
    if (s.length !== 3) this.refuse(`it needs [H,W,C] maps but gets a vector of ${s[0]}`);
    return s;
  }
  ints(key: string, value: unknown, fallback?: [number, number]): [number, number] {
    if ((value === undefined || value === null) && fallback) return fallback;
    if (Number.isInteger(value) && (value as number) > 0) return [value as number, value as number];
    if (Array.isArray(value) && value.length === 2 && value.every((v) => Number.isInteger(v) && v > 0)) return [value[0], value[1]];
    return this.refuse(`${key} ${printable(JSON.stringify(value))} is not one or two positive integers`);
  }
  /** Add a layer: planned by the layer's own rules (output size, limits). */
  push(config: LayerConfig): void {
    let plan;
    try { plan = planLayer(config, this.ctx.shape!); } catch (error) { return this.refuse((error as Error).message); }
    this.ctx.configs.push(config);
    this.ctx.shape = plan.outputShape;
  }
  /** Note the manifest entry of this layer's kernel or bias, checked against the shape it must have. */
  takeWeight(role: WeightRole, expected: number[], order?: number[]): void {
    const { manifest, name } = this.ctx, layerName = this.layerName;
    const entry = manifest.byName.get(`${layerName}/${role}`) ??
      manifest.entries.find((e) => e.name.endsWith(`/${layerName}/${role}`)); // Keras 3 prefixes the model's name
    if (!entry) throw new ModelFileError(`${name}: the weights manifest has no '${printable(layerName)}/${role}' for layer '${printable(layerName)}' (${printable(this.layer.class_name)})`);
    if (entry.shape.length !== expected.length || entry.shape.some((d, i) => d !== expected[i])) {
      throw new ModelFileError(`${name}: weight '${printable(entry.name)}' has shape [${entry.shape.join(',')}] but layer '${printable(layerName)}' needs [${expected.join(',')}]`);
    }
    this.ctx.weights.push({ layer: this.ctx.configs.length - 1, role, entry, order });
  }
  activation(value: unknown): void {
    const kind = value ?? 'linear';
    if (kind === 'linear') return;
    if (kind === 'relu' || kind === 'sigmoid' || kind === 'tanh') { this.push({ type: kind }); return; }
    if (kind === 'softmax') {
      if (this.ctx.order) this.refuse('a softmax straight after a Flatten of maps in Keras order (h,w,c) would list its outputs in another order');
      if (this.shape.length !== 1) this.refuse('softmax over the channels of maps has no convlab layer');
      this.push({ type: 'softmax' });
      return;
    }
    this.refuse(`activation '${printable(String(kind))}' is not relu, sigmoid, tanh, softmax or linear`);
  }
}

const compact = ([a, b]: [number, number]): Pair => (a === b ? a : [a, b]);
export type KerasHandler = (node: KerasNode) => void;

export const KERAS_LAYERS: Record<string, KerasHandler> = {
  Conv2D(node) {
    const { config, ctx } = node;
    const [C] = node.spatial();
    if (config.data_format && config.data_format !== 'channels_last') node.refuse(`data_format ${printable(String(config.data_format))} (convlab reads channels_last Keras models)`);
    const dilation = node.ints('dilation_rate', config.dilation_rate, [1, 1]);
    if (dilation[0] !== 1 || dilation[1] !== 1) node.refuse('dilated convolution is not supported');
    if (config.groups !== undefined && config.groups !== 1) node.refuse('grouped convolution is not supported');
    const filters = config.filters as number;
    if (!Number.isInteger(filters) || filters < 1) node.refuse(`filters ${printable(JSON.stringify(filters))} is not a positive integer`);
    const [kh, kw] = node.ints('kernel_size', config.kernel_size);
    const [sh, sw] = node.ints('strides', config.strides, [1, 1]);
    const mode = config.padding ?? 'valid';
    if (mode !== 'valid' && mode !== 'same') node.refuse(`padding '${printable(String(mode))}' is not valid or same`);
    if (ctx.padding && mode !== 'valid') node.refuse('ZeroPadding2D followed by a same-padded Conv2D has no convlab equivalent');
    countOf([filters, C, kh, kw], `${ctx.name}: layer '${printable(node.layerName)}' kernel`, MAX_PARAMETERS, 'parameter');
    node.push({ type: 'conv', filters, kernelSize: compact([kh, kw]), ...(sh !== 1 || sw !== 1 ? { stride: compact([sh, sw]) } : {}),
      ...(ctx.padding ? { padding: compact(ctx.padding) } : mode === 'same' ? { padding: 'same' } : {}) });
    node.takeWeight('kernel', [kh, kw, C, filters]);
    if (config.use_bias !== false) node.takeWeight('bias', [filters]);
    ctx.padding = null;
    checkSampleShape(ctx.shape!, `${ctx.name}: the output of layer '${printable(node.layerName)}'`);
    node.activation(config.activation);
  },
  ZeroPadding2D(node) {
    node.spatial();
    const p = node.config.padding ?? 1;
    let pads: number[] | null = null;
    if (Number.isInteger(p)) pads = [p as number, p as number, p as number, p as number];
    else if (Array.isArray(p) && p.length === 2 && p.every((v) => Number.isInteger(v))) pads = [p[0], p[0], p[1], p[1]];
    else if (Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2)) pads = [p[0][0], p[0][1], p[1][0], p[1][1]];
    if (!pads || pads.some((v) => !Number.isInteger(v) || v < 0)) return node.refuse(`padding ${printable(JSON.stringify(p))} is not understood`);
    if (pads[0] !== pads[1] || pads[2] !== pads[3]) node.refuse(`uneven padding ${printable(JSON.stringify(p))} (convlab pads top = bottom and left = right)`);
    if (node.ctx.padding) node.refuse('two ZeroPadding2D in a row');
    node.ctx.padding = [pads[0], pads[2]];
  },
  Activation(node) { node.activation(node.config.activation); },
  ReLU(node) {
    const { config } = node;
    const slope = (config.negative_slope ?? 0) as number;
    if ((config.max_value !== undefined && config.max_value !== null) || (config.threshold ?? 0) !== 0) node.refuse('a capped or shifted ReLU is not supported');
    node.push(slope ? { type: 'leakyRelu', alpha: slope } : { type: 'relu' });
  },
  LeakyReLU(node) {
    const alpha = (node.config.alpha ?? node.config.negative_slope ?? 0.3) as number; // 0.3: Keras's default
    if (typeof alpha !== 'number' || !Number.isFinite(alpha)) node.refuse(`alpha ${printable(JSON.stringify(alpha))} is not a number`);
    node.push({ type: 'leakyRelu', alpha });
  },
  Softmax(node) {
    if (node.shape.length !== 1 || ![-1, 1, undefined].includes(node.config.axis as number)) node.refuse('only a softmax over a vector is supported');
    node.push({ type: 'softmax' });
  },
  MaxPooling2D(node) {
    const { config } = node;
    node.spatial();
    if (config.data_format && config.data_format !== 'channels_last') node.refuse(`data_format ${printable(String(config.data_format))}`);
    if ((config.padding ?? 'valid') !== 'valid') node.refuse(`padding '${printable(String(config.padding))}' (convlab drops windows that run past the edge: valid)`);
    const size = node.ints('pool_size', config.pool_size, [2, 2]);
    const stride = node.ints('strides', config.strides, size);
    node.push({ type: 'maxPool', size: compact(size), ...(stride[0] !== size[0] || stride[1] !== size[1] ? { stride: compact(stride) } : {}) });
  },
  LayerNormalization(node) {
    const { config } = node;
    node.spatial();
    const axis = Array.isArray(config.axis) ? (config.axis as number[]).map((a) => (a < 0 ? a + 4 : a)).sort() : [config.axis];
    if (axis.length !== 2 || axis[0] !== 1 || axis[1] !== 2 || config.center !== false || config.scale !== false) {
      node.refuse(`convlab's normalize is LayerNormalization over axes [1,2] (each map's height and width) without centre and scale, ` +
        `this one has axis ${printable(JSON.stringify(config.axis))}, center ${printable(String(config.center))}, scale ${printable(String(config.scale))}`);
    }
    const eps = (config.epsilon ?? 1e-3) as number;
    if (!(typeof eps === 'number' && eps > 0)) node.refuse(`epsilon ${printable(JSON.stringify(config.epsilon))} is not positive`);
    node.push({ type: 'normalize', eps });
  },
  BatchNormalization(node) {
    const { config, ctx } = node, s = node.shape, rank = s.length + 1; // Keras's rank, with the batch axis
    const axes = (Array.isArray(config.axis) ? config.axis : [config.axis ?? -1]).map((a) => (typeof a === 'number' && a < 0 ? a + rank : a));
    if (axes.length !== 1 || axes[0] !== rank - 1) node.refuse(`axis ${printable(JSON.stringify(config.axis))} is not the channels (or features) axis, the last one`);
    // Keras's momentum is the old average's weight (default 0.99); convlab's is the new batch's, as PyTorch's
    const kerasMomentum = (config.momentum ?? 0.99) as number, eps = (config.epsilon ?? 1e-3) as number;
    const settings = { eps, momentum: typeof kerasMomentum === 'number' ? Number((1 - kerasMomentum).toPrecision(7)) : kerasMomentum };
    try { readBatchNormSettings('batchNorm', settings.momentum, settings.eps); } catch (error) { node.refuse((error as Error).message.replace(/^batchNorm: /, '')); }
    node.push({ type: 'batchNorm', ...settings });
    const C = s[0], order = s.length === 1 ? ctx.order : undefined; // after a Flatten in Keras order, the features are too
    if (config.scale !== false) node.takeWeight('gamma', [C], order);
    if (config.center !== false) node.takeWeight('beta', [C], order);
    node.takeWeight('moving_mean', [C], order);
    node.takeWeight('moving_variance', [C], order);
  },
  Permute(node) {
    node.spatial();
    const dims = node.config.dims as number[];
    if (!Array.isArray(dims) || dims.join(',') !== '3,1,2' || node.ctx.layers[node.position + 1]?.class_name !== 'Flatten') {
      node.refuse(`only Permute([3,1,2]) right before a Flatten (the channels-first flatten order) is supported, not ${printable(JSON.stringify(dims))}`);
    }
    node.ctx.channelsFirst = true;
  },
  Flatten(node) {
    const { ctx } = node, s = node.shape;
    if (s.length === 3) {
      const [C, H, W] = s;
      if (C > 1 && !ctx.channelsFirst) ctx.order = kerasToConvlabOrder(C, H, W);
    }
    ctx.channelsFirst = false;
    node.push({ type: 'flatten' });
  },
  Dense(node) {
    const { config, ctx } = node, s = node.shape;
    if (s.length !== 1) node.refuse('a Dense on [H,W,C] maps acts on the last axis only; add a Flatten before it');
    const units = config.units as number;
    if (!Number.isInteger(units) || units < 1) node.refuse(`units ${printable(JSON.stringify(units))} is not a positive integer`);
    countOf([s[0], units], `${ctx.name}: layer '${printable(node.layerName)}' kernel`, MAX_PARAMETERS, 'parameter');
    node.push({ type: 'dense', units });
    node.takeWeight('kernel', [s[0], units], ctx.order);
    if (config.use_bias !== false) node.takeWeight('bias', [units]);
    ctx.order = undefined;
    node.activation(config.activation);
  },
  Dropout(node) {
    const rate = node.config.rate as number;
    if (!(typeof rate === 'number' && rate >= 0 && rate < 1)) node.refuse(`rate ${printable(JSON.stringify(rate))} is not in [0, 1)`);
    node.push({ type: 'dropout', rate });
  },
};

/** Keras layers → convlab layer configs, with each weight's manifest entry checked against the shape it must have. */
export function translate(layers: KerasLayer[], manifest: Manifest, name: string) {
  const ctx = new KerasImport(name, manifest, layers);
  const seen = new Set<string>();
  layers.forEach((layer, position) => {
    const node = new KerasNode(layer, position, ctx);
    const config = layer.config;
    if (seen.has(node.layerName)) node.refuse('another layer has the same name (TF.js refuses such a model)');
    seen.add(node.layerName);
    if (position === 0 || layer.class_name === 'InputLayer') {
      const declared = (config.batch_input_shape ?? config.batch_shape ?? config.batchInputShape) as unknown;
      if (Array.isArray(declared)) {
        if (ctx.shape) node.refuse('an input layer may only come first');
        const sizes = declared.slice(1);
        if (sizes.length === 3 && config.data_format !== 'channels_first') ctx.shape = [sizes[2], sizes[0], sizes[1]];
        else if (sizes.length === 1) ctx.shape = sizes;
        else node.refuse(`input shape ${printable(JSON.stringify(declared))} is neither [null,H,W,C] images nor [null,n] vectors`);
        checkSampleShape(ctx.shape!, `${name}: the input`);
        ctx.inputShape = ctx.shape!.slice();
      } else if (position === 0) throw new ModelFileError(`${name}: the first layer declares no input shape (batch_input_shape)`);
    }
    if (layer.class_name === 'InputLayer') return;
    if (ctx.padding && layer.class_name !== 'Conv2D') node.refuse('ZeroPadding2D must be followed by a Conv2D');
    if (ctx.channelsFirst && layer.class_name !== 'Flatten') node.refuse('Permute([3,1,2]) must be followed by Flatten');
    if (ctx.order && !['Dense', 'Activation', 'ReLU', 'LeakyReLU', 'Dropout', 'BatchNormalization'].includes(layer.class_name)) {
      node.refuse('after a Flatten of maps in Keras order (h,w,c) only element-wise layers and a Dense may follow');
    }
    const handler = Object.hasOwn(KERAS_LAYERS, layer.class_name) ? KERAS_LAYERS[layer.class_name] : null;
    if (!handler) node.refuse('convlab has no such layer');
    handler!(node);
  });
  const last = layers[layers.length - 1];
  if (ctx.padding) throw new ModelFileError(`${name}: the model ends with ZeroPadding2D ('${printable(String(last.config.name))}'), which convlab cannot represent alone`);
  if (ctx.order) throw new ModelFileError(`${name}: the model ends with a Flatten of maps in Keras order (h,w,c); convlab flattens (c,h,w) and has no layer to reorder`);
  if (ctx.configs.length === 0) throw new ModelFileError(`${name}: the model has no layer convlab can run`);
  return { inputShape: ctx.inputShape!, configs: ctx.configs, weights: ctx.weights };
}
