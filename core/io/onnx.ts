// core/io/onnx.ts: convlab models to and from ONNX (opset 13, IR version 8), the format ONNX Runtime, PyTorch's
// exporter and model viewers share. ONNX is channels-first like convlab ([N,C,H,W], kernels [K,C,kh,kw],
// Flatten in (c,h,w) order), so weights go across unchanged; a dense layer is Gemm with transB = 1 ([out,in]).
//   conv → Conv (explicit pads; 'same' as TensorFlow: the odd pixel at the bottom/right)   maxPool → MaxPool
//   relu, leakyRelu, sigmoid, tanh → Relu, LeakyRelu, Sigmoid, Tanh                        flatten → Flatten
//   normalize → InstanceNormalization with scale 1 and bias 0 (the same per-map formula)    dense → Gemm
//   dropout → Dropout (identity at inference)                                               softmax → Softmax
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { Sequential } from '../nn/model.js';
import { ConvLayer, DenseLayer, type LayerConfig } from '../nn/layers.js';
import type { Pair, Padding } from '../tensor.js';
import { ModelFileError } from './modelFile.js';
import { MAX_LAYERS, MAX_PARAMETERS, countOf, checkSampleShape, float32FromBytes, bytesFromFloat32 } from './limits.js';

const { onnx } = onnxProto;
type NodeProto = OnnxTypes.INodeProto;
type TensorProto = OnnxTypes.ITensorProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;
export const ONNX_SUPPORTED = 'Conv (group 1, no dilation), Relu, LeakyRelu, Sigmoid, Tanh, MaxPool (no padding, floor mode), ' +
  'InstanceNormalization (scale 1, bias 0), Flatten (axis 1), Gemm (alpha = beta = 1, transA = 0), Softmax (last axis), Dropout, Identity';

const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE = { FLOAT: 1, INT: 2, INTS: 7 } as const;
const pair = (value: Pair | undefined | null, fallback: number): [number, number] =>
  value === undefined || value === null ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0], value[1]];

// ─── export ──────────────────────────────────────────────────────────────────────────────────────────────

/** The model as the bytes of an .onnx file: input 'input' [N,...inputShape], output 'output' [N,...outputShape]. */
export function modelToOnnx(model: Sequential): Uint8Array {
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let current = 'input';
  const tensor = (name: string, dims: number[], values: Float32Array) => {
    initializers.push({ name, dims, dataType: FLOAT, rawData: bytesFromFloat32(values) });
    return name;
  };
  const ints = (name: string, values: number[]) => ({ name, type: ATTRIBUTE.INTS, ints: values });
  const node = (opType: string, label: string, extraInputs: string[] = [], attribute: OnnxTypes.IAttributeProto[] = []) => {
    const output = `${label}_out`;
    nodes.push({ opType, name: label, input: [current, ...extraInputs], output: [output], attribute });
    current = output;
  };
  model.layers.forEach((layer, i) => {
    const config = layer.config, label = `layer${i}_${config.type}`;
    switch (config.type) {
      case 'conv': {
        const conv = layer as ConvLayer;
        const [K, C, kh, kw] = conv.kernels.shape;
        const [, H, W] = layer.inputShape, [, Ho, Wo] = layer.outputShape;
        const [sh, sw] = pair(config.stride, 1);
        let pads: number[];
        if (config.padding === 'same') {
          // TensorFlow's rule: total = max((Ho−1)·s + k − H, 0), the top/left gets floor(total/2)
          const totalH = Math.max((Ho - 1) * sh + kh - H, 0), totalW = Math.max((Wo - 1) * sw + kw - W, 0);
          pads = [Math.floor(totalH / 2), Math.floor(totalW / 2), totalH - Math.floor(totalH / 2), totalW - Math.floor(totalW / 2)];
        } else {
          const [ph, pw] = config.padding === 'valid' || config.padding === undefined ? [0, 0] : pair(config.padding, 0);
          pads = [ph, pw, ph, pw];
        }
        node('Conv', label, [tensor(`layer${i}.kernels`, [K, C, kh, kw], conv.kernels.data), tensor(`layer${i}.bias`, [K], conv.bias.data)],
          [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]), ints('pads', pads), ints('dilations', [1, 1]), { name: 'group', type: ATTRIBUTE.INT, i: 1 }]);
        break;
      }
      case 'dense': {
        if (layer.inputShape.length > 1) node('Flatten', `layer${i}_flatten`, [], [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }]);
        const dense = layer as DenseLayer;
        const [outputs, inputs] = dense.weights.shape;
        node('Gemm', label, [tensor(`layer${i}.weights`, [outputs, inputs], dense.weights.data), tensor(`layer${i}.bias`, [outputs], dense.bias.data)],
          [{ name: 'transB', type: ATTRIBUTE.INT, i: 1 }]);
        break;
      }
      case 'relu': node('Relu', label); break;
      case 'sigmoid': node('Sigmoid', label); break;
      case 'tanh': node('Tanh', label); break;
      case 'leakyRelu': node('LeakyRelu', label, [], [{ name: 'alpha', type: ATTRIBUTE.FLOAT, f: config.alpha ?? 0.01 }]); break;
      case 'maxPool': {
        const size = pair(config.size, 1);
        node('MaxPool', label, [], [ints('kernel_shape', size), ints('strides', config.stride === undefined || config.stride === null ? size : pair(config.stride, 1)),
          ints('pads', [0, 0, 0, 0])]);
        break;
      }
      case 'normalize': {
        const C = layer.inputShape[0];
        node('InstanceNormalization', label, [tensor(`layer${i}.scale`, [C], new Float32Array(C).fill(1)), tensor(`layer${i}.shift`, [C], new Float32Array(C))],
          [{ name: 'epsilon', type: ATTRIBUTE.FLOAT, f: config.eps ?? 1e-5 }]);
        break;
      }
      case 'flatten': node('Flatten', label, [], [{ name: 'axis', type: ATTRIBUTE.INT, i: 1 }]); break;
      case 'dropout': node('Dropout', label, [tensor(`layer${i}.rate`, [], Float32Array.of(config.rate))]); break;
      case 'softmax': node('Softmax', label, [], [{ name: 'axis', type: ATTRIBUTE.INT, i: -1 }]); break;
    }
  });
  nodes[nodes.length - 1].output = ['output'];
  const valueInfo = (name: string, shape: number[]) => ({
    name, type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, ...shape.map((d) => ({ dimValue: d }))] } } },
  });
  const proto = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION, producerName: 'convlab', producerVersion: '0.1.0',
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    graph: { name: 'convlab', node: nodes, initializer: initializers,
      input: [valueInfo('input', model.inputShape)], output: [valueInfo('output', model.outputShape)] },
  });
  return onnx.ModelProto.encode(proto).finish();
}

// ─── import ──────────────────────────────────────────────────────────────────────────────────────────────

/** The shortest decimal that is this float32 (an attribute 1e-5 is stored as 9.99999974e-6; convlab computes in doubles). */
const decimal = (value: number): number => {
  for (let digits = 1; digits < 10; digits++) { const d = Number(value.toPrecision(digits)); if (Math.fround(d) === value) return d; }
  return value;
};
const number = (value: unknown): number =>
  typeof value === 'number' ? value : value && typeof value === 'object' && 'toNumber' in value ? (value as { toNumber(): number }).toNumber() : Number(value);

/** A convlab model from the bytes of an .onnx file: a chain of the supported ops over float32 initializers. */
export function modelFromOnnx(bytes: Uint8Array, name = 'model.onnx'): Sequential {
  let proto: OnnxTypes.ModelProto;
  try { proto = onnx.ModelProto.decode(bytes); } catch (error) {
    throw new ModelFileError(`${name} is not a valid ONNX model (its protobuf does not decode: ${(error as Error).message})`);
  }
  const graph = proto.graph as OnnxTypes.GraphProto | null; // decoded messages have every list, empty or not
  if (!graph || graph.node.length === 0) throw new ModelFileError(`${name} is not a valid ONNX model (it has no graph of operations)`);
  if (graph.node.length > 2 * MAX_LAYERS) throw new ModelFileError(`${name} has ${graph.node.length} operations, more than the limit of ${2 * MAX_LAYERS}`);
  const opset = proto.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  if (opset && number(opset.version) < 7) throw new ModelFileError(`${name} uses ONNX opset ${number(opset.version)}; convlab reads opset 7 and later`);

  // initializers: dims and data type checked, counted against the limit before any value is copied
  const initializers = new Map<string, OnnxTypes.TensorProto>();
  let parameters = 0;
  for (const t of graph.initializer as OnnxTypes.TensorProto[]) {
    const what = `${name}: initializer '${t.name}'`;
    if (t.dataType !== FLOAT) throw new ModelFileError(`${what} has data type ${t.dataType}; convlab reads float32 (data type 1) weights only`);
    if (t.dataLocation === 1) throw new ModelFileError(`${what} keeps its data in an external file; convlab reads self-contained .onnx files only`);
    parameters += countOf(t.dims.map(number), what, MAX_PARAMETERS, 'parameter');
    if (parameters > MAX_PARAMETERS) throw new ModelFileError(`${name} declares more than the limit of ${MAX_PARAMETERS} parameters`);
    initializers.set(t.name ?? '', t);
  }
  const values = (tensorName: string, what: string): { dims: number[]; data: Float32Array } => {
    const t = initializers.get(tensorName);
    if (!t) throw new ModelFileError(`${name}: ${what} '${tensorName}' is not a constant initializer of the graph`);
    const dims = t.dims.map(number), count = dims.reduce((a, b) => a * b, 1);
    if (t.rawData && t.rawData.length > 0) {
      if (t.rawData.length !== count * 4) throw new ModelFileError(`${name}: initializer '${tensorName}' [${dims.join(',')}] needs ${count * 4} bytes, it has ${t.rawData.length}`);
      return { dims, data: float32FromBytes(t.rawData, 0, count) };
    }
    if (t.floatData.length !== count) throw new ModelFileError(`${name}: initializer '${tensorName}' [${dims.join(',')}] needs ${count} values, it has ${t.floatData.length}`);
    return { dims, data: Float32Array.from(t.floatData) };
  };

  const inputs = (graph.input as OnnxTypes.ValueInfoProto[]).filter((v) => !initializers.has(v.name ?? ''));
  if (inputs.length !== 1) throw new ModelFileError(`${name} has ${inputs.length} inputs (${inputs.map((v) => v.name).join(', ')}); convlab models take one`);
  const dims = inputs[0].type?.tensorType?.shape?.dim ?? [];
  const sizes = dims.slice(1).map((d) => number(d.dimValue));
  if (inputs[0].type?.tensorType?.elemType !== FLOAT || (sizes.length !== 3 && sizes.length !== 1)) {
    throw new ModelFileError(`${name}: the input '${inputs[0].name}' must be float32 [N,C,H,W] images or [N,n] vectors with fixed sizes`);
  }
  const inputShape = sizes;
  checkSampleShape(inputShape, `${name}: the input`);

  const configs: LayerConfig[] = [];
  const weights: { layer: number; kernel: Float32Array; bias: Float32Array | null }[] = [];
  let shape = inputShape.slice();
  let current = inputs[0].name ?? '';
  for (const node of graph.node as OnnxTypes.NodeProto[]) {
    const op = node.opType ?? '';
    const refuse = (why: string): never => {
      throw new ModelFileError(`${name}: cannot import operation '${node.name || op}' (${op}): ${why}. convlab imports ${ONNX_SUPPORTED}`);
    };
    if (node.domain && node.domain !== 'ai.onnx') refuse(`it is from the operator set '${node.domain}'`);
    if (node.input[0] !== current) refuse(`convlab imports a chain of operations, each reading the one before; this reads '${node.input[0]}', not '${current}'`);
    const live = node.output.filter((o) => o);
    if (live.length !== 1) refuse('only operations with one output are supported');
    const attributes = new Map((node.attribute as OnnxTypes.AttributeProto[]).map((a) => [a.name, a]));
    const int = (key: string, fallback: number) => (attributes.has(key) ? number(attributes.get(key)!.i) : fallback);
    const intList = (key: string, fallback: number[]) => (attributes.has(key) ? attributes.get(key)!.ints.map(number) : fallback);
    const float = (key: string, fallback: number) => (attributes.has(key) ? decimal(attributes.get(key)!.f ?? fallback) : fallback);
    const spatial = () => { if (shape.length !== 3) refuse(`it needs [N,C,H,W] maps but gets vectors of ${shape[0]}`); return shape; };
    const compact = (a: number, b: number): Pair => (a === b ? a : [a, b]);
    switch (op) {
      case 'Conv': {
        const [C, H, W] = spatial();
        if (int('group', 1) !== 1) refuse('grouped convolution is not supported');
        if (intList('dilations', [1, 1]).some((d) => d !== 1)) refuse('dilated convolution is not supported');
        const kernel = initializers.get(node.input[1] ?? '');
        if (!kernel) refuse(`its kernels '${node.input[1]}' are not a constant initializer`);
        const kernelDims = kernel!.dims.map(number);
        if (kernelDims.length !== 4 || kernelDims[1] !== C) refuse(`kernels [${kernelDims.join(',')}] do not fit [K,${C},kh,kw]`);
        const [K, , kh, kw] = kernelDims;
        const [sh, sw] = intList('strides', [1, 1]);
        const autoPad = attributes.has('auto_pad') ? new TextDecoder().decode(attributes.get('auto_pad')!.s ?? new Uint8Array()) : 'NOTSET';
        const sameOut = [Math.ceil(H / sh), Math.ceil(W / sw)];
        const sameTotal = [Math.max((sameOut[0] - 1) * sh + kh - H, 0), Math.max((sameOut[1] - 1) * sw + kw - W, 0)];
        const same = [Math.floor(sameTotal[0] / 2), Math.floor(sameTotal[1] / 2), sameTotal[0] - Math.floor(sameTotal[0] / 2), sameTotal[1] - Math.floor(sameTotal[1] / 2)];
        let pads: number[];
        if (autoPad === 'SAME_UPPER' || (autoPad === 'SAME_LOWER' && sameTotal.every((t) => t % 2 === 0))) pads = same;
        else if (autoPad === 'VALID') pads = [0, 0, 0, 0];
        else if (autoPad === 'NOTSET' || autoPad === '') pads = intList('pads', [0, 0, 0, 0]);
        else return refuse(`auto_pad ${autoPad} puts the odd padding pixel at the top/left, which convlab does not`);
        let padding: Padding;
        if (pads.every((p) => p === 0)) padding = 'valid';
        else if (pads[0] === pads[2] && pads[1] === pads[3]) padding = compact(pads[0], pads[1]);
        else if (pads.every((p, k) => p === same[k])) padding = 'same';
        else return refuse(`pads [${pads.join(',')}] are uneven and not TensorFlow's 'same' rule`);
        const out = padding === 'same' ? sameOut : [Math.floor((H + pads[0] + pads[2] - kh) / sh) + 1, Math.floor((W + pads[1] + pads[3] - kw) / sw) + 1];
        if (!(out[0] >= 1 && out[1] >= 1)) refuse(`a ${kh}×${kw} kernel does not fit the ${H}×${W} maps`);
        configs.push({ type: 'conv', filters: K, kernelSize: compact(kh, kw), ...(sh !== 1 || sw !== 1 ? { stride: compact(sh, sw) } : {}),
          ...(padding !== 'valid' ? { padding } : {}) });
        weights.push({ layer: configs.length - 1, kernel: values(node.input[1], 'the kernels').data, bias: node.input[2] ? biasOf(node.input[2], K) : null });
        shape = [K, out[0], out[1]];
        checkSampleShape(shape, `${name}: the output of '${node.name || op}'`);
        break;
      }
      case 'Gemm': {
        if (shape.length !== 1) refuse('Gemm needs [N,n] vectors; add a Flatten before it');
        if (float('alpha', 1) !== 1 || float('beta', 1) !== 1 || int('transA', 0) !== 0) refuse('only alpha = 1, beta = 1, transA = 0 is supported');
        const transB = int('transB', 0);
        const w = initializers.get(node.input[1] ?? '');
        if (!w) refuse(`its weights '${node.input[1]}' are not a constant initializer`);
        const wDims = w!.dims.map(number);
        const [outputs, inputsCount] = transB ? wDims : [wDims[1], wDims[0]];
        if (wDims.length !== 2 || inputsCount !== shape[0]) refuse(`weights [${wDims.join(',')}] (transB ${transB}) do not take ${shape[0]} inputs`);
        let kernel = values(node.input[1], 'the weights').data;
        if (!transB) { // [in,out] → [out,in]
          const t = new Float32Array(kernel.length);
          for (let i = 0; i < inputsCount; i++) for (let o = 0; o < outputs; o++) t[o * inputsCount + i] = kernel[i * outputs + o];
          kernel = t;
        }
        configs.push({ type: 'dense', units: outputs });
        weights.push({ layer: configs.length - 1, kernel, bias: node.input[2] ? biasOf(node.input[2], outputs) : null });
        shape = [outputs];
        break;
      }
      case 'Relu': configs.push({ type: 'relu' }); break;
      case 'Sigmoid': configs.push({ type: 'sigmoid' }); break;
      case 'Tanh': configs.push({ type: 'tanh' }); break;
      case 'LeakyRelu': configs.push({ type: 'leakyRelu', alpha: float('alpha', 0.01) }); break;
      case 'MaxPool': {
        const [C, H, W] = spatial();
        if (int('ceil_mode', 0) !== 0) refuse('ceil_mode 1 keeps windows running past the edge; convlab drops them');
        if (intList('pads', [0, 0, 0, 0]).some((p) => p !== 0)) refuse('padded pooling is not supported');
        if (intList('dilations', [1, 1]).some((d) => d !== 1)) refuse('dilated pooling is not supported');
        const autoPad = attributes.has('auto_pad') ? new TextDecoder().decode(attributes.get('auto_pad')!.s ?? new Uint8Array()) : 'NOTSET';
        if (autoPad !== 'NOTSET' && autoPad !== 'VALID' && autoPad !== '') refuse(`auto_pad ${autoPad} is not supported`);
        const size = intList('kernel_shape', []);
        if (size.length !== 2) refuse('kernel_shape must be two sizes');
        const stride = intList('strides', [1, 1]);
        const out = [Math.floor((H - size[0]) / stride[0]) + 1, Math.floor((W - size[1]) / stride[1]) + 1];
        if (!(out[0] >= 1 && out[1] >= 1)) refuse(`a ${size.join('×')} window does not fit the ${H}×${W} maps`);
        configs.push({ type: 'maxPool', size: compact(size[0], size[1]), ...(stride[0] !== size[0] || stride[1] !== size[1] ? { stride: compact(stride[0], stride[1]) } : {}) });
        shape = [C, out[0], out[1]];
        break;
      }
      case 'InstanceNormalization': {
        const [C] = spatial();
        const scale = values(node.input[1] ?? '', 'the scale').data, shift = values(node.input[2] ?? '', 'the bias').data;
        if (scale.length !== C || shift.length !== C || scale.some((v) => v !== 1) || shift.some((v) => v !== 0)) {
          refuse('convlab\'s normalize has no learned scale or shift: scale must be all 1 and bias all 0');
        }
        configs.push({ type: 'normalize', eps: float('epsilon', 1e-5) });
        break;
      }
      case 'Flatten':
        if (int('axis', 1) !== 1) refuse(`axis ${int('axis', 1)} (convlab flattens everything but the batch: axis 1)`);
        shape = [shape.reduce((a, b) => a * b, 1)];
        configs.push({ type: 'flatten' });
        break;
      case 'Softmax': {
        const axis = int('axis', number(opset?.version ?? 13) >= 13 ? -1 : 1);
        if (shape.length !== 1 || (axis !== -1 && axis !== 1)) refuse('only a softmax over the vector of each sample is supported');
        configs.push({ type: 'softmax' });
        break;
      }
      case 'Dropout': {
        const rate = node.input[1] ? decimal(values(node.input[1], 'the ratio').data[0]) : float('ratio', 0.5);
        if (!(rate >= 0 && rate < 1)) refuse(`ratio ${rate} is not in [0, 1)`);
        configs.push({ type: 'dropout', rate });
        break;
      }
      case 'Identity': break;
      default: refuse('convlab has no such layer');
    }
    current = live[0];
  }
  const output = graph.output[0]?.name;
  if (graph.output.length !== 1 || output !== current) throw new ModelFileError(`${name}: the graph's output must be the last operation's ('${current}'), it is ${graph.output.map((o) => `'${o.name}'`).join(', ')}`);
  if (configs.length === 0) throw new ModelFileError(`${name}: the graph has no operation convlab can run`);

  let model: Sequential;
  try { model = new Sequential({ inputShape, layers: configs }); } catch (error) {
    throw new ModelFileError(`${name} describes a network convlab cannot build: ${(error as Error).message}`);
  }
  for (const w of weights) {
    const layer = model.layers[w.layer] as ConvLayer | DenseLayer;
    const target = layer instanceof ConvLayer ? layer.kernels : layer.weights;
    target.data.set(w.kernel);
    if (w.bias) layer.bias.data.set(w.bias);
  }
  return model;

  function biasOf(tensorName: string, size: number): Float32Array {
    const { dims: biasDims, data } = values(tensorName, 'the bias');
    if (data.length !== size) throw new ModelFileError(`${name}: bias '${tensorName}' has shape [${biasDims.join(',')}], expected [${size}]`);
    return data;
  }
}
