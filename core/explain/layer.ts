// core/explain/layer.ts: one layer of a model, explained on one sample — what the explainer's op views draw.
//   explainLayer(model, index, input, settings)  the layer's step model, with its settings defaulted from the
//                                                layer (a view shows the layer's own size/stride unless asked),
//                                                its facts (shapes, output-size arithmetic, parameter count)
//   explainCell(model, index, input, cell)       any output value of the layer as a formula with its actual
//                                                inputs ("compute it by hand"), its value the op's own
//   layerConnections(model, index, map)          which input maps an output map reads, and through what
// Layers are told apart by their classes and configs; nothing here is drawn, everything is tested in Node.
import { type Tensor, type Padding, contiguousData, fromData, formatShape, sizeOf } from '../tensor.js';
import type { Sequential } from '../nn/model.js';
import { describeLayer } from '../nn/model.js';
import { ConvLayer, DenseLayer, ActivationLayer, BatchNormLayer, type LayerConfig, type LayerType } from '../nn/layers.js';
import { explainBatchNorm, type BatchNormExplanation } from './batchNorm.js';
import { readPadding, readPair } from '../check.js';
import { type Conv3dOptions, conv3dShapeGeometry } from '../ops/conv3d.js';
import { maxPoolShapeGeometry } from '../ops/maxPool.js';
import type { MaxPoolGeometry } from '../kernels/types.js';
import { explainConv, explainConvCell, resizeKernels, type ConvExplanation } from './conv.js';
import { explainMaxPool, type PoolExplanation } from './maxPool.js';
import { explainActivation, type ReluStep } from './activation.js';
import { activation, type ActivationType } from '../ops/activations.js';
import { DEFAULT_EPS } from '../ops/normalize.js';
import { explainNormalize, type NormalizeStep } from './normalize.js';
import { explainDense, largestTerms, type DenseStep } from './dense.js';
import { explainSoftmax, type SoftmaxExplanation } from './softmax.js';
import { explainFlatten, type FlattenExplanation } from './flatten.js';
import { explainDropout, type DropoutExplanation } from './dropout.js';
import { printNumber, printFactor, equalsSign } from './format.js';

/** What the user may change in a view; anything left out takes the layer's own value. */
export interface LayerSettings {
  /** The output map (conv kernel, pool/activation/normalize map, dense unit, softmax class). */
  map?: number;
  stride?: number; padding?: Padding; size?: number;
  /** Seed of the dropout mask shown for a training pass. */
  seed?: number;
}

export interface LayerFacts {
  index: number; kind: LayerType; title: string;
  inShape: number[]; outShape: number[];
  /** Number of learned values, and how it is counted ("8 kernels × 1 channel × 5×5 + 8 biases = 208"). */
  params: number; paramsArithmetic: string;
  /** How the output shape follows from the input and the settings, with the current numbers. */
  sizeArithmetic: string[];
}

interface Base { index: number; facts: LayerFacts; input: Tensor; map: number; maps: number }
export type LayerExplanation =
  | Base & { kind: 'conv'; settings: { stride: number; padding: Padding; size: number; trainedSize: number }; kernels: Tensor; bias: Tensor; error?: string; conv?: ConvExplanation }
  | Base & { kind: 'maxPool'; settings: { size: number; stride: number }; error?: string; pool?: PoolExplanation }
  | Base & { kind: ActivationType; alpha: number; steps: ReluStep[] }
  | Base & { kind: 'normalize'; eps: number; step: NormalizeStep }
  | Base & { kind: 'batchNorm'; batchNorm: BatchNormExplanation }
  | Base & { kind: 'dense'; step: DenseStep; weightShape: number[] }
  | Base & { kind: 'softmax'; softmax: SoftmaxExplanation }
  | Base & { kind: 'flatten'; flatten: FlattenExplanation }
  | Base & { kind: 'dropout'; dropout: DropoutExplanation };

/** The step model of layer `index` on `input` (what the layer reads for one sample), settings defaulted from the layer. */
export function explainLayer(model: Sequential, index: number, input: Tensor, settings: LayerSettings = {}): LayerExplanation {
  const layer = layerAt(model, index, 'explainLayer');
  const config = model.configs[index];
  const maps = mapCount(model, index);
  const map = clampMap(settings.map, maps);
  if (layer instanceof ConvLayer && config.type === 'conv') {
    const trainedSize = layer.kernels.shape[2];
    const stride = settings.stride ?? readPair('explainLayer', 'stride', config.stride, [1, 1])[0];
    const padding = settings.padding ?? config.padding ?? 'valid';
    const size = settings.size ?? trainedSize;
    const kernels = resizeKernels(layer.kernels, size);
    const options: Conv3dOptions = { bias: layer.bias, stride, padding };
    const facts = factsFor(model, index, { stride, padding, size });
    try {
      return { kind: 'conv', index, facts, input, map, maps, settings: { stride, padding, size, trainedSize }, kernels, bias: layer.bias, conv: explainConv(input, kernels, options, map) };
    } catch (error) {
      return { kind: 'conv', index, facts, input, map, maps, settings: { stride, padding, size, trainedSize }, kernels, bias: layer.bias, error: (error as Error).message };
    }
  }
  if (config.type === 'maxPool') {
    const [ownSize] = readPair('explainLayer', 'size', config.size, [1, 1]);
    const size = settings.size ?? ownSize;
    const stride = settings.stride ?? (config.stride === undefined ? size : readPair('explainLayer', 'stride', config.stride, [1, 1])[0]);
    const facts = factsFor(model, index, { size, stride });
    try { return { kind: 'maxPool', index, facts, input, map, maps, settings: { size, stride }, pool: explainMaxPool(input, { size, stride }, map) }; }
    catch (error) { return { kind: 'maxPool', index, facts, input, map, maps, settings: { size, stride }, error: (error as Error).message }; }
  }
  const facts = factsFor(model, index, {});
  if (layer instanceof ActivationLayer) {
    const kind = layer.config.type, alpha = layer.alpha;
    return { kind, index, facts, input, map, maps, alpha, steps: explainActivation(input, kind, { alpha, map }).steps };
  }
  switch (config.type) {
    case 'normalize': {
      const eps = config.eps ?? DEFAULT_EPS;
      return { kind: 'normalize', index, facts, input, map, maps, eps, step: explainNormalize(input, { eps }).steps[map] };
    }
    case 'batchNorm': {
      const l = layer as BatchNormLayer;
      return { kind: 'batchNorm', index, facts, input, map, maps, batchNorm: explainBatchNorm(input, { gamma: l.gamma, beta: l.beta, runningMean: l.runningMean, runningVar: l.runningVar, momentum: config.momentum, eps: config.eps }) };
    }
    case 'dense': {
      const dense = layer as DenseLayer;
      return { kind: 'dense', index, facts, input, map, maps, step: explainDense(input, dense.weights, dense.bias).steps[map], weightShape: unflattenedShape(model, index) };
    }
    case 'softmax': return { kind: 'softmax', index, facts, input, map, maps, softmax: explainSoftmax(asVector(input)) };
    case 'flatten': return { kind: 'flatten', index, facts, input, map: 0, maps: 1, flatten: explainFlatten(input) };
    case 'dropout': return { kind: 'dropout', index, facts, input, map, maps, dropout: explainDropout(input, config.rate, settings.seed ?? 1) };
    default: throw new TypeError(`explainLayer: layer ${index} (${config.type}) has no explanation`);
  }
}

/** How many output maps (or units) a layer has: the thing a view's map selector chooses from. */
export function mapCount(model: Sequential, index: number): number {
  const shape = layerAt(model, index, 'mapCount').outputShape, type = model.configs[index].type;
  if (type === 'dense' || type === 'softmax' || type === 'batchNorm') return shape[0]; // a unit, a class, a channel or feature
  return shape.length === 3 && type !== 'flatten' ? shape[0] : 1; // element-wise layers on a vector: one "map"
}

/** Shapes, output-size arithmetic and parameter count of layer `index`, with the view's settings where given. */
export function layerFacts(model: Sequential, index: number, settings: LayerSettings = {}): LayerFacts {
  layerAt(model, index, 'layerFacts');
  return factsFor(model, index, settings);
}

function factsFor(model: Sequential, index: number, settings: LayerSettings): LayerFacts {
  const layer = model.layers[index], config = model.configs[index];
  const inShape = layer.inputShape.slice();
  let outShape = layer.outputShape.slice(), sizeArithmetic: string[] = [], params = 0, paramsArithmetic = 'nothing is learned here: no parameters';
  const n = (v: number) => v.toLocaleString('en-US');
  switch (config.type) {
    case 'conv': {
      const conv = layer as ConvLayer;
      const [K, C, trainedH, trainedW] = conv.kernels.shape;
      const [, H, W] = inShape;
      const kh = settings.size ?? trainedH, kw = settings.size ?? trainedW;
      const [sh, sw] = settings.stride !== undefined ? [settings.stride, settings.stride] : readPair('layerFacts', 'stride', config.stride, [1, 1]);
      const padding = settings.padding ?? config.padding ?? 'valid';
      // the op's own geometry gives the output size (and refuses a kernel that does not fit); check.ts's padding rule the pads
      try {
        const g = conv3dShapeGeometry('layerFacts', inShape, [K, C, kh, kw], [sh, sw], padding);
        const [pt, pb, pl, pr] = readPadding('layerFacts', padding, H, W, kh, kw, sh, sw);
        const side = (size: number, a: number, b: number, k: number, s: number, out: number) =>
          `⌊(${size} + ${a === b ? `2·${a}` : `${a} + ${b}`} − ${k}) / ${s}⌋ + 1 = ${out}`;
        outShape = g.outShape;
        sizeArithmetic = H === W && kh === kw && sh === sw && pt === pl && pb === pr
          ? [`output side = ⌊(H + 2p − k) / s⌋ + 1 = ${side(H, pt, pb, kh, sh, g.outHeight)}`]
          : [`output height = ⌊(H + 2p − k) / s⌋ + 1 = ${side(H, pt, pb, kh, sh, g.outHeight)}`, `output width = ${side(W, pl, pr, kw, sw, g.outWidth)}`];
        sizeArithmetic.push(`${K} kernels → ${K} output maps: [${outShape.join(',')}]`);
      } catch (error) { sizeArithmetic = [(error as Error).message]; }
      // the kernel size the view shows (a chosen size gives kernels of that size: its count, not the trained one's)
      params = K * C * kh * kw + K;
      paramsArithmetic = `${K} kernels × ${C} channel${C === 1 ? '' : 's'} × ${kh}×${kw} weights + ${K} biases = ${n(params)}`;
      break;
    }
    case 'maxPool': {
      const [, H, W] = inShape;
      const [ph, pw] = settings.size !== undefined ? [settings.size, settings.size] : readPair('layerFacts', 'size', config.size, [1, 1]);
      const [sh, sw] = settings.stride !== undefined ? [settings.stride, settings.stride] : readPair('layerFacts', 'stride', config.stride, [ph, pw]);
      let g: MaxPoolGeometry;
      try { g = maxPoolShapeGeometry('layerFacts', inShape, [ph, pw], [sh, sw]); } catch (error) { sizeArithmetic = [(error as Error).message]; break; }
      const Ho = g.outHeight, Wo = g.outWidth;
      outShape = g.outShape;
      sizeArithmetic = H === W && ph === pw && sh === sw
        ? [`output side = ⌊(H − k) / s⌋ + 1 = ⌊(${H} − ${ph}) / ${sh}⌋ + 1 = ${Ho}`]
        : [`output height = ⌊(${H} − ${ph}) / ${sh}⌋ + 1 = ${Ho}`, `output width = ⌊(${W} − ${pw}) / ${sw}⌋ + 1 = ${Wo}`];
      sizeArithmetic.push(`each of the ${inShape[0]} maps is pooled on its own: [${outShape.join(',')}]`);
      break;
    }
    case 'dense': {
      const [units, inputs] = (layer as DenseLayer).weights.shape;
      params = units * inputs + units;
      paramsArithmetic = `${units} units × ${n(inputs)} inputs + ${units} biases = ${n(params)}`;
      sizeArithmetic = [`${formatShape(inShape)} read as ${n(inputs)} numbers → one output per unit: [${units}]`];
      break;
    }
    case 'flatten':
      sizeArithmetic = [inShape.length === 3 ? `C·H·W = ${inShape.join('·')} = ${n(sizeOf(inShape))}` : `already a vector of ${n(sizeOf(inShape))}`];
      break;
    case 'softmax': sizeArithmetic = [`one probability per class: [${outShape[0]}]`]; break;
    case 'batchNorm': {
      const C = inShape[0], what = inShape.length === 3 ? 'channel' : 'feature';
      params = 2 * C;
      paramsArithmetic = `${C} scales γ + ${C} shifts β (one per ${what}) = ${n(params)}; plus ${C} running means and ${C} running variances, averaged during training, not learned by gradient`;
      sizeArithmetic = [`same shape as the input: ${formatShape(outShape)} (each ${what} normalised with its own μ and σ²)`];
      break;
    }
    default: sizeArithmetic = [`same shape as the input: ${formatShape(outShape)} (one output per input value)`];
  }
  return { index, kind: config.type, title: describeLayer(config), inShape, outShape, params, paramsArithmetic, sizeArithmetic };
}

export interface CellExplanation {
  layer: number; kind: LayerType; map: number; y: number; x: number;
  /** The op's own output at this cell. */
  value: number;
  /** The rule with this cell's indices filled in. */
  formula: string;
  /** The rule with the actual numbers; terms print with `digits` decimals, a rounded total follows "≈". */
  arithmetic: string;
  /** The input cells this value reads: per input map a rectangle (rows y..y+h−1, columns x..x+w−1; may reach into padding). */
  reads: { map: number; y: number; x: number; h: number; w: number }[];
}

/** Any output value of layer `index` (map, row y, column x; a vector's entry is map 0, row 0, column i) as a formula. */
export function explainCell(model: Sequential, index: number, input: Tensor, cell: { map: number; y: number; x: number }, settings: LayerSettings = {}, digits = 4): CellExplanation {
  const e = explainLayer(model, index, input, { ...settings, map: undefined });
  const { y, x } = cell;
  const vectorOut = e.facts.outShape.length === 1;
  const map = vectorOut ? 0 : cell.map;
  const outShape = e.facts.outShape;
  const [C, H, W] = outShape.length === 3 ? outShape : [1, 1, outShape[0]];
  if (!(Number.isInteger(map) && Number.isInteger(y) && Number.isInteger(x) && map >= 0 && map < C && y >= 0 && y < H && x >= 0 && x < W)) {
    throw new RangeError(`explainCell: cell (${cell.map},${y},${x}) is outside layer ${index}'s output ${formatShape(outShape)}`);
  }
  const p = (v: number) => printNumber(v, digits), f = (v: number) => printFactor(v, digits);
  const base = { layer: index, kind: e.kind, map: vectorOut ? 0 : map, y, x };
  const inData = contiguousData(input);
  const [, inH, inW] = input.dimension === 3 ? input.shape : [1, 1, input.size];
  switch (e.kind) {
    case 'conv': {
      if (e.error) throw new RangeError(`explainCell: ${e.error}`);
      const { stride, padding } = e.settings;
      const s = explainConvCell(input, e.kernels, { bias: e.bias, stride, padding }, map, y, x);
      const kh = e.kernels.shape[2], kw = e.kernels.shape[3], inC = e.kernels.shape[1];
      const terms: string[] = [];
      let zeros = 0;
      s.products.forEach((rows, c) => rows.forEach((row, u) => row.forEach((product, v) => {
        if (s.window[c][u][v] === 0 || s.kernel[c][u][v] === 0) zeros++;
        else terms.push(`${f(s.window[c][u][v])}·${f(s.kernel[c][u][v])}`);
      })));
      const total = s.channelSums.reduce((a, b) => a + b, 0);
      const body = terms.length <= 30
        ? `${terms.join(' + ') || '0'}${zeros ? ` (+ ${zeros} products with a 0 factor)` : ''}`
        : s.channelSums.map((sum, c) => `${f(sum)} [Σ channel ${c}]`).join(' + ');
      return {
        ...base, value: s.result,
        formula: `out[${map},${y},${x}] = b[${map}] + Σ_c Σ_u Σ_v in[c, ${y}·${stride}+u−${y * stride - s.y}, ${x}·${stride}+v−${x * stride - s.x}] · W[${map},c,u,v]   (c < ${inC}, u < ${kh}, v < ${kw})`,
        arithmetic: `= ${body} + ${f(s.bias)} ${equalsSign(total + s.bias, digits)} ${p(s.result)}`,
        reads: Array.from({ length: inC }, (_, c) => ({ map: c, y: s.y, x: s.x, h: kh, w: kw })),
      };
    }
    case 'maxPool': {
      if (e.error) throw new RangeError(`explainCell: ${e.error}`);
      const pool = explainMaxPool(input, e.settings, map).steps[y * W + x];
      const values = pool.values.flat();
      return {
        ...base, value: pool.max,
        formula: `out[${map},${y},${x}] = max of in[${map}, ${y}·${e.settings.stride}+u, ${x}·${e.settings.stride}+v]   (u, v < ${e.settings.size})`,
        arithmetic: `= max(${values.map(p).join(', ')}) = ${p(pool.max)}, found at (${pool.argmax.join(', ')})`,
        reads: [{ map, y: pool.y, x: pool.x, h: e.settings.size, w: e.settings.size }],
      };
    }
    case 'relu': case 'sigmoid': case 'tanh': case 'leakyRelu': {
      const at = (map * inH + y) * inW + x, before = inData[at];
      const after = activation(e.kind, fromData(Float32Array.of(before), [1]), { alpha: e.alpha }).data[0];
      const name = `${e.kind}(x[${vectorOut ? x : `${map},${y},${x}`}])`;
      const rule = { relu: `max(x, 0) = max(${p(before)}, 0)`, sigmoid: `1 / (1 + e^(−x)) = 1 / (1 + e^(−${f(before)}))`, tanh: `tanh(${p(before)})`,
        leakyRelu: before > 0 ? `x (x > 0) = ${p(before)}` : `α·x (x ≤ 0) = ${printNumber(e.alpha, 3)} · ${f(before)}` }[e.kind];
      return { ...base, value: after, formula: name, arithmetic: `= ${rule} ${equalsSign(after, digits)} ${p(after)}`, reads: [{ map, y, x, h: 1, w: 1 }] };
    }
    case 'normalize': {
      const s = explainNormalize(input, { eps: e.eps }).steps[map], at = y * W + x;
      return {
        ...base, value: s.after[at],
        formula: `out[${map},${y},${x}] = (x − μ) / √(σ² + ε), μ and σ² over map ${map}`,
        arithmetic: `= (${p(s.before[at])} − ${f(s.mean)}) / √(${p(s.variance)} + ${e.eps}) ≈ ${p(s.after[at])}`,
        reads: [{ map, y: 0, x: 0, h: inH, w: inW }],
      };
    }
    case 'batchNorm': {
      const channel = vectorOut ? x : map, s = e.batchNorm.inference[channel], at = vectorOut ? 0 : y * W + x;
      return {
        ...base, value: s.after[at],
        formula: `out[${vectorOut ? x : `${map},${y},${x}`}] = γ · (x − μ) / √(σ² + ε) + β, μ and σ² the running averages of ${vectorOut ? 'feature' : 'channel'} ${channel}`,
        arithmetic: `= ${f(s.gamma)} · (${p(s.before[at])} − ${f(s.mean)}) / √(${p(s.variance)} + ${s.eps}) + ${f(s.beta)} ${equalsSign(s.after[at], digits)} ${p(s.after[at])}`,
        reads: [{ map: vectorOut ? 0 : map, y: vectorOut ? 0 : y, x, h: 1, w: 1 }],
      };
    }
    case 'dense': {
      const s = explainDense(input, (model.layers[index] as DenseLayer).weights, (model.layers[index] as DenseLayer).bias).steps[x];
      const top = largestTerms(s.products, 5), rest = s.sum - top.reduce((a, i) => a + s.products[i], 0);
      return {
        ...base, value: s.result,
        formula: `y[${x}] = b[${x}] + Σ_i W[${x},i] · x[i]   (${s.products.length} inputs)`,
        arithmetic: `= ${top.map((i) => `${f(s.weights[i])}·${f(s.inputs[i])}`).join(' + ')} + (${s.products.length - top.length} smaller terms: ${p(rest)}) + ${f(s.bias)} ${equalsSign(s.result, digits)} ${p(s.result)}`,
        reads: [{ map: -1, y: 0, x: 0, h: inH, w: inW }],
      };
    }
    case 'softmax': {
      const s = e.softmax;
      return {
        ...base, value: s.probabilities[x],
        formula: `p[${x}] = e^(z[${x}] − max z) / Σ_j e^(z[j] − max z)`,
        arithmetic: `= e^(${p(s.logits[x])} − ${f(s.max)}) / ${p(s.sum)} = ${p(s.exponentials[x])} / ${p(s.sum)} ${equalsSign(s.probabilities[x], digits)} ${p(s.probabilities[x])}`,
        reads: [{ map: 0, y: 0, x: 0, h: 1, w: s.logits.length }],
      };
    }
    case 'flatten': {
      const { height, width, vector } = e.flatten, c = Math.floor(x / (height * width)), h = Math.floor(x / width) % height, w = x % width;
      return {
        ...base, value: vector[x],
        formula: `v[c·H·W + h·W + w] = in[c,h,w]   (H = ${height}, W = ${width})`,
        arithmetic: `v[${x}] = v[${c}·${height * width} + ${h}·${width} + ${w}] = in[${c},${h},${w}] = ${p(vector[x])}`,
        reads: [{ map: c, y: h, x: w, h: 1, w: 1 }],
      };
    }
    case 'dropout': {
      const at = (map * inH + y) * inW + x, d = e.dropout;
      return {
        ...base, value: d.inference[at],
        formula: `at inference: out = x   (at training: x · mask, mask 0 or 1/(1 − ${d.rate}))`,
        arithmetic: `= ${p(d.inference[at])} (one training pass would give ${f(d.input[at])} · ${p(d.mask[at])} = ${p(d.training[at])})`,
        reads: [{ map, y, x, h: 1, w: 1 }],
      };
    }
  }
}

export type Connection =
  | { kind: 'kernels'; /** each input map c is read through the kernel slice W[k, c] */ slices: { map: number; weights: Float32Array; height: number; width: number }[] }
  | { kind: 'same'; map: number }
  | { kind: 'all'; maps: number };

/** Which maps of the previous layer output map `map` of layer `index` reads, and through which kernel slices. */
export function layerConnections(model: Sequential, index: number, map: number): Connection {
  const layer = layerAt(model, index, 'layerConnections');
  const inMaps = layer.inputShape.length === 3 ? layer.inputShape[0] : 1;
  if (layer instanceof ConvLayer) {
    const [K, C, kh, kw] = layer.kernels.shape;
    const k = clampMap(map, K), data = contiguousData(layer.kernels);
    return { kind: 'kernels', slices: Array.from({ length: C }, (_, c) => ({ map: c, weights: data.slice(((k * C + c) * kh) * kw, ((k * C + c + 1) * kh) * kw), height: kh, width: kw })) };
  }
  const type = model.configs[index].type;
  if (type === 'dense' || type === 'flatten' || type === 'softmax') return { kind: 'all', maps: inMaps };
  return { kind: 'same', map: clampMap(map, inMaps) };
}

/** The [C,H,W] shape a flat vector came from (before the nearest flatten), for drawing dense weights as maps. */
export function unflattenedShape(model: Sequential, index: number): number[] {
  for (let i = index - 1; i >= 0; i--) {
    if (model.configs[i].type === 'flatten') return model.layers[i].inputShape.length === 3 ? model.layers[i].inputShape : [1, 1, sizeOf(model.layers[i].inputShape)];
    if (model.configs[i].type === 'dense') break;
  }
  const shape = model.layers[index].inputShape;
  return shape.length === 3 ? shape : [1, 1, sizeOf(shape)];
}

/** A layer's own conv settings, to compare a view's settings with. */
export function convOptionsOf(config: Extract<LayerConfig, { type: 'conv' }>): { stride: number; padding: Padding } {
  return { stride: readPair('convOptionsOf', 'stride', config.stride, [1, 1])[0], padding: config.padding ?? 'valid' };
}

function layerAt(model: Sequential, index: number, op: string) {
  if (!(Number.isInteger(index) && index >= 0 && index < model.layers.length)) {
    throw new RangeError(`${op}: layer ${index} is out of range (the model has layers 0..${model.layers.length - 1})`);
  }
  return model.layers[index];
}

const clampMap = (map: number | undefined, maps: number) => Math.min(Math.max(0, Number.isInteger(map) ? map! : 0), maps - 1);
const asVector = (x: Tensor) => (x.dimension === 1 ? x : fromData(contiguousData(x), [x.size]));
