// core/io/onnx/ops.ts: one handler per ONNX operation convlab imports (as tfjs-converter's op lists). A handler
// reads its node's attributes and constant inputs, refuses what convlab cannot run exactly, and adds a layer
// (planned by the layer's own rules, so no output-size formula is written here), folds into the layer before it,
// or computes a constant. Anything not in the table is refused by name.
import type { Pair, Padding } from '../../tensor.js';
import { readPadding } from '../../check.js';
import { readBatchNormSettings } from '../../ops/batchNorm.js';
import { nameFromFile as printable } from '../limits.js';
import { type Handler, type OnnxNode, type Constant, BATCH, DATA_TYPE, decimal, number } from './context.js';

/** BatchNormalization in training mode: why it is refused (the attribute of opset 14+, or the extra outputs of any opset). */
const TRAINING_MODE = 'training_mode 1 (statistics of the batch, with the running mean and variance as extra outputs) is not supported; ' +
  'export the model in eval mode (PyTorch: model.eval() before torch.onnx.export)';

/** Why an operation with more than one output is refused, where the reason is known. */
export const MORE_OUTPUTS: Record<string, (node: OnnxNode) => string> = {
  BatchNormalization: () => TRAINING_MODE,
  Dropout: () => 'its second output (the mask of the dropped values) is not supported; convlab\'s dropout gives the values only',
  MaxPool: () => 'its second output (where each maximum was: Indices) is not supported; convlab\'s maxPool gives the maxima only',
};

export const ONNX_SUPPORTED = 'Conv (group 1, no dilation), Relu, LeakyRelu, PRelu (one slope), Clip (min 0, no max), Sigmoid, Tanh, ' +
  'MaxPool (no padding, floor mode), AveragePool (no padding), GlobalAveragePool, InstanceNormalization (scale 1, bias 0), ' +
  'BatchNormalization (inference mode, as a batchNorm layer), Flatten (axis 1), Reshape to [N, -1], ' +
  'Gemm (transA = 0), MatMul and Add of a constant bias, Softmax (last axis), LogSoftmax (last operation), ' +
  'Dropout, Identity, Pad of zeros, Unsqueeze/Squeeze around a 1-D BatchNormalization, Squeeze of [N,C,1,1], and Constant, Shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Transpose of constants';

const compact = (a: number, b: number): Pair => (a === b ? a : [a, b]);
const ints = (values: number[]) => () => values;
const noFloats = (node: OnnxNode) => () => node.refuse('its output is a list of integers, not weights');
const size = (dims: number[]) => dims.reduce((a, b) => a * b, 1);

/** ONNX pads [top,left,bottom,right] as a convlab padding, or a refusal (check.ts's readPadding states 'same'). */
function paddingOf(node: OnnxNode, pads: number[], H: number, W: number, kh: number, kw: number, sh: number, sw: number): Padding {
  const [top, bottom, left, right] = readPadding(node.op, 'same', H, W, kh, kw, sh, sw);
  const same = [top, left, bottom, right];
  const autoPad = node.text('auto_pad', 'NOTSET');
  let p: number[];
  if (autoPad === 'SAME_UPPER' || (autoPad === 'SAME_LOWER' && same[0] === same[2] && same[1] === same[3])) p = same;
  else if (autoPad === 'VALID') p = [0, 0, 0, 0];
  else if (autoPad === 'NOTSET' || autoPad === '') p = node.ints('pads', [0, 0, 0, 0]);
  else return node.refuse(`auto_pad ${printable(autoPad)} puts the odd padding pixel at the top/left, which convlab does not`);
  if (p.length !== 4 || p.some((v) => !Number.isInteger(v) || v < 0)) return node.refuse(`pads [${p.join(',')}] are not four non-negative sizes`);
  if (p.every((v) => v === 0)) return 'valid';
  if (p[0] === p[2] && p[1] === p[3]) return compact(p[0], p[1]);
  if (p.every((v, k) => v === same[k])) return 'same';
  return node.refuse(`pads [${p.join(',')}] are uneven and not TensorFlow's 'same' rule`);
}

/** kernel_shape, when given, must be the kernel's (ONNX Runtime refuses a contradiction). */
function checkKernelShape(node: OnnxNode, kh: number, kw: number) {
  const declared = node.ints('kernel_shape', [kh, kw]);
  if (declared.length !== 2 || declared[0] !== kh || declared[1] !== kw) node.refuse(`kernel_shape [${declared.join(',')}] contradicts its ${kh}×${kw} kernels`);
}

/** A window op's no-padding, floor-mode, no-dilation checks; its [kh,kw] and [sh,sw]. */
function window(node: OnnxNode, what: string, extra: (pads: number[]) => string | null): { size: [number, number]; stride: [number, number] } {
  if (node.int('ceil_mode', 0) !== 0) node.refuse('ceil_mode 1 keeps windows running past the edge; convlab drops them');
  const pads = node.ints('pads', [0, 0, 0, 0]);
  const padded = extra(pads);
  if (padded) node.refuse(padded);
  if (node.ints('dilations', [1, 1]).some((d) => d !== 1)) node.refuse(`dilated ${what} is not supported`);
  const autoPad = node.text('auto_pad', 'NOTSET');
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID' && autoPad !== '') node.refuse(`auto_pad ${printable(autoPad)} is not supported`);
  const k = node.ints('kernel_shape', []);
  if (k.length !== 2 || k.some((v) => !Number.isInteger(v) || v < 1)) node.refuse('kernel_shape must be two sizes');
  const s = node.ints('strides', [1, 1]);
  return { size: [k[0], k[1]], stride: [s[0], s[1]] };
}

/** An average over kh×kw windows as the exact convolution it is: kernel k of channel c is 1/(kh·kw) on c, 0 elsewhere. */
function averageAsConv(node: OnnxNode, kh: number, kw: number, stride: [number, number]) {
  const [C] = node.spatial();
  node.layer({ type: 'conv', filters: C, kernelSize: compact(kh, kw), ...(stride[0] !== 1 || stride[1] !== 1 ? { stride: compact(stride[0], stride[1]) } : {}) }, {
    kernel: () => {
      const kernel = new Float32Array(C * C * kh * kw);
      for (let c = 0; c < C; c++) kernel.fill(1 / (kh * kw), (c * C + c) * kh * kw, (c * C + c + 1) * kh * kw);
      return kernel;
    },
    bias: null,
  });
}

/** Unsqueeze's and Squeeze's axes: an attribute until opset 13, an input from 13 on (required: no axes would squeeze
 *  every size of 1, the batch's too when it is 1). */
function axesOf(node: OnnxNode): number[] {
  const axes = node.ctx.opset >= 13 ? (node.optional(1) ? node.constant(1, 'axes').ints() : null) : (node.has('axes') ? node.ints('axes', []) : null);
  if (!axes || axes.length === 0) return node.refuse('it names no axes (all sizes of 1 would go, the batch\'s too when it is 1)');
  return axes;
}

/** A bias constant of `count` values (shape [count], [1,count] or [count,1,1]); with `single`, also one value for all
 *  (a scalar or [1], as ONNX broadcasts it). */
function biasValues(node: OnnxNode, bias: Constant, count: number, what: string, single = false): () => Float32Array {
  const kept = bias.dims.filter((d) => d !== 1);
  if (single && size(bias.dims) === 1 && count !== 1) return () => new Float32Array(count).fill(bias.floats()[0]);
  if (size(bias.dims) !== count || kept.length > 1) node.refuse(`${what} '${printable(bias.name)}' has shape [${bias.dims.join(',')}], expected [${count}]`);
  return () => bias.floats();
}

/** The dense layer of a weight matrix [out,in] (transposed: [in,out]) and an optional bias, each times a scale (Gemm's
 *  alpha and beta: alpha·(x·W) = x·(alpha·W)). */
function dense(node: OnnxNode, weights: Constant, transposed: boolean, bias: Constant | null, alpha = 1, beta = 1) {
  if (node.shape.length !== 1) node.refuse(`${node.op} needs [N,n] vectors; add a Flatten before it`);
  const dims = weights.dims;
  const [outputs, inputs] = transposed ? [dims[1], dims[0]] : [dims[0], dims[1]];
  if (dims.length !== 2 || inputs !== node.shape[0]) node.refuse(`weights [${dims.join(',')}] (transB ${transposed ? 0 : 1}) do not take ${node.shape[0]} inputs`);
  const kernel = transposed ? () => {
    const source = weights.floats(), t = new Float32Array(source.length); // [in,out] → [out,in]
    for (let i = 0; i < inputs; i++) for (let o = 0; o < outputs; o++) t[o * inputs + i] = source[i * outputs + o];
    return t;
  } : () => weights.floats();
  const values = bias ? biasValues(node, bias, outputs, 'bias', true) : null;
  const scaled = (read: () => Float32Array, by: number) => (by === 1 ? read : () => read().map((v) => v * by));
  node.layer({ type: 'dense', units: outputs }, { kernel: scaled(kernel, alpha), bias: values && scaled(values, beta) });
}

/** Fold a per-output affine map (y·scale + shift) into the layer that made the activation. */
function foldAffine(node: OnnxNode, scale: (() => Float64Array) | null, shift: () => Float64Array) {
  const last = node.ctx.last;
  if (!last) node.refuse(`it is imported into the Conv, Gemm or MatMul right before it, and follows none`);
  const { kernel, bias, out } = last!;
  last!.kernel = scale ? () => {
    const k = kernel().slice(), s = scale(), per = k.length / out;
    for (let o = 0; o < out; o++) for (let i = 0; i < per; i++) k[o * per + i] *= s[o];
    return k;
  } : kernel;
  last!.bias = () => {
    const b = bias ? bias() : new Float32Array(out), s = scale?.(), t = shift(), result = new Float32Array(out);
    for (let o = 0; o < out; o++) result[o] = (s ? b[o] * s[o] : b[o]) + t[o];
    return result;
  };
}

const activationOnly = (type: 'relu' | 'sigmoid' | 'tanh'): Handler => (node) => node.layer({ type });

export const ONNX_OPS: Record<string, Handler> = {
  Conv(node) {
    const [C, H, W] = node.spatial();
    if (node.int('group', 1) !== 1) node.refuse('grouped convolution is not supported');
    if (node.ints('dilations', [1, 1]).some((d) => d !== 1)) node.refuse('dilated convolution is not supported');
    const kernel = node.constant(1, 'kernels'), dims = kernel.dims;
    if (dims.length !== 4 || dims[1] !== C) node.refuse(`kernels [${dims.join(',')}] do not fit [K,${C},kh,kw]`);
    const [K, , kh, kw] = dims;
    checkKernelShape(node, kh, kw);
    const [sh, sw] = node.ints('strides', [1, 1]);
    const padding = paddingOf(node, node.ints('pads', [0, 0, 0, 0]), H, W, kh, kw, sh, sw);
    node.layer({ type: 'conv', filters: K, kernelSize: compact(kh, kw), ...(sh !== 1 || sw !== 1 ? { stride: compact(sh, sw) } : {}),
      ...(padding !== 'valid' ? { padding } : {}) }, { kernel: () => kernel.floats(), bias: node.optional(2) ? biasValues(node, node.constant(2, 'bias'), K, 'bias') : null });
  },
  Gemm(node) {
    if (node.shape.length !== 1) node.refuse('Gemm needs [N,n] vectors; add a Flatten before it');
    if (node.int('transA', 0) !== 0) node.refuse('transA 1 (the input transposed) is not supported; convlab takes [N,n] vectors, one sample a row');
    const bias = node.optional(2) ? node.constant(2, 'bias') : null;
    // C broadcasts over the rows: one value per output ([n], [1,n]) or one for all; [N,n] or [N,1] would differ per sample
    if (bias && bias.dims.slice(0, -1).some((d) => d !== 1)) node.refuse(`bias '${printable(bias.name)}' [${bias.dims.join(',')}] differs per sample; convlab adds one bias per output`);
    dense(node, node.constant(1, 'weights'), node.int('transB', 0) === 0, bias, Math.fround(node.float('alpha', 1)), Math.fround(node.float('beta', 1)));
  },
  MatMul(node) { dense(node, node.constant(1, 'weights'), true, null); },
  Add(node) {
    const bias = node.constant(node.proto.input[0] === node.ctx.current ? 1 : 0, 'addend');
    const channels = node.shape.length === 3 ? bias.dims.length >= 3 && bias.dims.slice(-2).every((d) => d === 1) : bias.dims.length <= 2;
    if (!node.ctx.last || !channels) node.refuse('convlab imports Add only as the bias of the Conv, Gemm or MatMul right before it (one value per output channel)');
    const values = biasValues(node, bias, node.ctx.last!.out, 'addend');
    foldAffine(node, null, () => Float64Array.from(values()));
  },
  BatchNormalization(node) {
    if (node.int('training_mode', 0) !== 0) node.refuse(TRAINING_MODE);
    // a layer of its own (not folded): y = γ·(x − mean)/√(var + ε) + β over channel 1 of [N,C,H,W] or [N,C]
    const C = node.shape[0];
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => biasValues(node, node.constant(i, ['scale', 'bias', 'mean', 'variance'][i - 1]), C, ['scale', 'bias', 'mean', 'variance'][i - 1]));
    const checkedVariance = () => {
      const v = variance(), bad = v.findIndex((x) => !(x >= 0));
      if (bad >= 0) node.refuse(`its variance of channel ${bad} is ${v[bad]}; a variance must be ≥ 0`);
      return v;
    };
    // ONNX's momentum is the old average's weight (default 0.9); convlab's is the new batch's, as PyTorch's
    const momentum = Number((1 - node.float('momentum', 0.9)).toPrecision(7));
    const settings = { eps: node.float('epsilon', 1e-5), momentum };
    try { readBatchNormSettings('batchNorm', settings.momentum, settings.eps); } catch (error) { node.refuse((error as Error).message.replace(/^batchNorm: /, '')); }
    node.layer({ type: 'batchNorm', ...settings }, { kernel: gamma, bias: beta, state: [mean, checkedVariance] });
  },
  Relu: activationOnly('relu'),
  Sigmoid: activationOnly('sigmoid'),
  Tanh: activationOnly('tanh'),
  LeakyRelu(node) { node.layer({ type: 'leakyRelu', alpha: node.float('alpha', 0.01) }); },
  PRelu(node) {
    const slope = node.constant(1, 'slopes');
    if (size(slope.dims) !== 1) node.refuse(`a slope per channel ([${slope.dims.join(',')}]) has no convlab layer; leakyRelu has one slope`);
    node.layer({ type: 'leakyRelu', alpha: decimal(slope.floats()[0]) });
  },
  Clip(node) {
    const min = node.optional(1) ? node.constant(1, 'minimum').floats()[0] : node.float('min', -Infinity);
    const max = node.optional(2) ? node.constant(2, 'maximum').floats()[0] : node.float('max', Infinity);
    if (min !== 0 || max !== Infinity) node.refuse(`Clip(${min}, ${max}) has no convlab layer (ReLU6 is Clip(0, 6)); convlab has relu = Clip(0, ∞)`);
    node.layer({ type: 'relu' });
  },
  MaxPool(node) {
    node.spatial();
    const { size: [kh, kw], stride: [sh, sw] } = window(node, 'pooling', (pads) => (pads.some((p) => p !== 0) ? 'padded pooling is not supported' : null));
    node.layer({ type: 'maxPool', size: compact(kh, kw), ...(sh !== kh || sw !== kw ? { stride: compact(sh, sw) } : {}) });
  },
  AveragePool(node) {
    const { size: [kh, kw], stride } = window(node, 'pooling', (pads) => (pads.some((p) => p !== 0) ? 'padded average pooling is not supported' : null));
    averageAsConv(node, kh, kw, stride);
  },
  GlobalAveragePool(node) {
    const [, H, W] = node.spatial();
    averageAsConv(node, H, W, [1, 1]);
  },
  InstanceNormalization(node) {
    const [C] = node.spatial();
    const scale = node.constant(1, 'scale').floats(), shift = node.constant(2, 'bias').floats();
    if (scale.length !== C || shift.length !== C || scale.some((v) => v !== 1) || shift.some((v) => v !== 0)) {
      node.refuse('convlab\'s normalize has no learned scale or shift: scale must be all 1 and bias all 0');
    }
    node.layer({ type: 'normalize', eps: node.float('epsilon', 1e-5) });
  },
  Flatten(node) {
    const given = node.int('axis', 1), rank = node.shape.length + 1, axis = given < 0 ? given + rank : given;
    if (axis !== 1) node.refuse(`axis ${given}${given < 0 ? ` (axis ${axis} of a rank-${rank} input)` : ''} (convlab flattens everything but the batch: axis 1)`);
    node.layer({ type: 'flatten' });
  },
  Reshape(node) {
    const target = node.constant(1, 'shape').ints();
    const shape = node.shape, total = size(shape);
    const batch = (d: number) => Number.isNaN(d) || d === node.ctx.batch;
    const flat = target.length === 2 && (batch(target[0]) || target[0] === 0 || (target[0] === -1 && (target[1] === total))) &&
      (target[1] === -1 || target[1] === total);
    if (!flat) node.refuse(`a Reshape to [${target.map((d) => (Number.isNaN(d) ? 'N' : d)).join(',')}] is not a flatten ([N, ${total}]); convlab has no other reshape`);
    if (shape.length !== 1) node.layer({ type: 'flatten' });
  },
  Softmax(node) {
    const axis = node.int('axis', node.ctx.opset >= 13 ? -1 : 1);
    if (node.shape.length !== 1 || (axis !== -1 && axis !== 1)) node.refuse('only a softmax over the vector of each sample is supported');
    node.layer({ type: 'softmax' });
  },
  LogSoftmax(node) {
    const axis = node.int('axis', node.ctx.opset >= 13 ? -1 : 1);
    if (node.shape.length !== 1 || (axis !== -1 && axis !== 1)) node.refuse('only a log-softmax over the vector of each sample is supported');
    node.layer({ type: 'softmax' }); // the same class order; convlab gives the probabilities, exp of the file's log-probabilities
    node.ctx.ended = node.label;
  },
  Dropout(node) {
    const rate = node.optional(1) ? decimal(node.constant(1, 'ratio').floats()[0]) : node.float('ratio', 0.5);
    if (!(rate >= 0 && rate < 1)) node.refuse(`ratio ${rate} is not in [0, 1)`);
    // opset 12+: a third input training_mode; true drops values at random (kept ones scaled by 1/(1−ratio)) unless the ratio is 0
    if (node.optional(2) && node.constant(2, 'training_mode').ints().some((v) => v !== 0) && rate !== 0) {
      node.refuse('training_mode true (values dropped at random, as in training) is not supported; export the model in eval mode');
    }
    node.layer({ type: 'dropout', rate });
  },
  Identity() { /* the activation passes through */ },
  Pad(node) {
    const pads = node.optional(1) ? node.constant(1, 'pads').ints() : node.ints('pads', []);
    const value = node.optional(2) ? node.constant(2, 'value').floats()[0] : node.float('value', 0);
    if (pads.some((p) => p !== 0)) node.refuse(`padding [${pads.join(',')}] on its own has no convlab layer (a Conv's own pads do)`);
    if (value !== 0 && pads.some((p) => p !== 0)) node.refuse('only zero padding is supported');
  },
  Unsqueeze(node) {
    // PyTorch's BatchNorm1d and converters' 1-D batch norms: [N,C] → Unsqueeze → [N,C,1] (or [N,C,1,1]) → BatchNormalization
    // → Squeeze → [N,C]. The statistics are per channel either way, so the unit sizes are only noted, not made a layer.
    const rank = node.shape.length + 1, axes = axesOf(node), added = axes.length;
    const at = axes.map((a) => (a < 0 ? a + rank + added : a)).sort((a, b) => a - b);
    if (node.shape.length !== 1 || node.ctx.unitDims > 0 || at.some((a, k) => a !== rank + k)) {
      node.refuse(`only [N,C] vectors given trailing sizes of 1 around a BatchNormalization are supported (axes [${axes.join(',')}] of [N,${node.shape.join(',')}])`);
    }
    node.ctx.unitDims = added;
  },
  Squeeze(node) {
    const given = axesOf(node), s = node.shape, units = node.ctx.unitDims;
    if (units > 0) {
      // the trailing sizes of 1 an Unsqueeze added, taken away again: [N,C,1…] → [N,C]
      const rank = 2 + units, at = given.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
      if (at.length !== units || at.some((a, k) => a !== 2 + k)) node.refuse(`axes [${given.join(',')}] are not the ${units} trailing size(s) of 1 the Unsqueeze before added`);
      node.ctx.unitDims = 0;
      return;
    }
    // [N,C,1,1] → [N,C] (after a global pooling) is the flatten it is
    const at = given.map((a) => (a < 0 ? a + 4 : a)).sort((a, b) => a - b);
    if (s.length !== 3 || s[1] !== 1 || s[2] !== 1 || at.join(',') !== '2,3') {
      node.refuse(`only [N,C,1,1] squeezed to [N,C] (axes [2,3]) is supported, not axes [${given.join(',')}] of [N,${s.join(',')}]`);
    }
    node.layer({ type: 'flatten' });
  },
  Transpose(node) {
    // keras2onnx's channels-last models: the input [N,H,W,C] turned to [N,C,H,W] first thing; convlab takes [C,H,W] samples
    const perm = node.ints('perm', []);
    const s = node.shape;
    if (node.ctx.configs.length > 0 || s.length !== 3 || perm.join(',') !== '0,3,1,2') {
      node.refuse(`only the channels-last input turned channels-first (perm [0,3,1,2]) as the first operation is supported, not perm [${perm.join(',')}]`);
    }
    if (node.ctx.reordered) node.refuse('the input is already channels-first');
    node.ctx.shape = [s[2], s[0], s[1]];
    node.ctx.inputShape = node.ctx.shape.slice();
    node.ctx.reordered = true;
  },
};

/** Operations on constants only (shape computations, Constant nodes): evaluated while the graph is read. */
export const CONSTANT_OPS: Record<string, Handler> = {
  Constant(node) {
    const t = node.tensor('value');
    if (t) {
      const value = node.ctx.initializer(t);
      node.output(value.dims, value.floats, value.ints);
      return;
    }
    if (node.has('value_float')) { const v = node.float('value_float', 0); node.output([], () => Float32Array.of(v), noFloats(node)); return; }
    if (node.has('value_int')) { const v = node.int('value_int', 0); node.output([], noFloats(node), ints([v])); return; }
    if (node.has('value_ints')) { const v = node.ints('value_ints', []); node.output([v.length], noFloats(node), ints(v)); return; }
    node.refuse('only a tensor, value_float, value_int or value_ints Constant is supported');
  },
  Shape(node) {
    const s = node.shape;
    if (node.has('start') || node.has('end')) node.refuse('Shape with start or end is not supported');
    node.output([s.length + 1], noFloats(node), ints([BATCH, ...s]));
  },
  Gather(node) {
    const data = node.constant(0, 'data').ints(), index = node.constant(1, 'indices');
    if (node.int('axis', 0) !== 0 || node.constant(0, 'data').dims.length !== 1) node.refuse('only Gather from a list of sizes is supported');
    const at = index.ints().map((i) => (i < 0 ? i + data.length : i));
    if (at.some((i) => !(i >= 0 && i < data.length))) node.refuse(`index ${index.ints().join(',')} is outside the ${data.length} values`);
    node.output(index.dims, noFloats(node), ints(at.map((i) => data[i])));
  },
  Unsqueeze(node) { const c = node.constant(0, 'data'); node.output(c.dims.length === 0 ? [1] : [...c.dims, 1], c.floats, c.ints); },
  Squeeze(node) { const c = node.constant(0, 'data'); node.output(c.dims.filter((d) => d !== 1), c.floats, c.ints); },
  Cast(node) {
    const c = node.constant(0, 'data'), to = node.int('to', 0);
    if (to === DATA_TYPE.INT64 || to === DATA_TYPE.INT32) node.output(c.dims, noFloats(node), c.ints);
    else if (to === DATA_TYPE.FLOAT) node.output(c.dims, c.floats, c.ints);
    else node.refuse(`a Cast to data type ${to} is not supported`);
  },
  Concat(node) {
    if (node.int('axis', 0) !== 0) node.refuse('only Concat of lists of sizes (axis 0) is supported');
    const parts = node.proto.input.map((_, i) => node.constant(i, 'parts'));
    if (parts.some((p) => p.dims.length !== 1)) node.refuse('only Concat of lists of sizes is supported');
    node.output([parts.reduce((n, p) => n + p.dims[0], 0)], noFloats(node), () => parts.flatMap((p) => p.ints()));
  },
  Transpose(node) {
    const c = node.constant(0, 'data');
    const perm = node.ints('perm', [1, 0]);
    if (c.dims.length !== 2 || perm.join(',') !== '1,0') node.refuse('only the transpose of a matrix of weights is supported');
    const [rows, cols] = c.dims;
    node.output([cols, rows], () => {
      const source = c.floats(), t = new Float32Array(source.length);
      for (let r = 0; r < rows; r++) for (let k = 0; k < cols; k++) t[k * rows + r] = source[r * cols + k];
      return t;
    }, noFloats(node));
  },
  Identity(node) { const c = node.constant(0, 'data'); node.output(c.dims, c.floats, c.ints); },
};

export { number };
