// core/io/onnx/import.ts: a convlab model from the bytes of an .onnx file. Four steps, each bounded before the next:
//   1. limits on the wire: nodes and every repeated value counted without decoding (wire.ts);
//   2. decode, check the IR version and opset against what ONNX Runtime reads, the one input;
//   3. read the graph as a chain, one handler per operation (ops.ts), parameters counted per use;
//   4. build the Sequential and copy the weights (each initializer decoded once, finite values only).
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { Sequential } from '../../nn/model.js';
import { ConvLayer, DenseLayer, BatchNormLayer } from '../../nn/layers.js';
import { ModelFileError, readInputScale, type InputScale } from '../modelFile.js';
import { INPUT_SCALE_KEY } from './export.js';
import { MAX_LAYERS, MAX_PARAMETERS, checkSampleShape, nameFromFile as printable } from '../limits.js';
import type { WeightsReader } from '../tfjs.js';
import { scanOnnx } from './wire.js';
import { OnnxImport, OnnxNode, number, DATA_TYPE } from './context.js';
import { ONNX_OPS, CONSTANT_OPS, ONNX_SUPPORTED, MORE_OUTPUTS } from './ops.js';

const { onnx } = onnxProto;

/** The IR versions and default-domain opsets convlab reads (ONNX Runtime reads no later ones; opset 7 is ONNX 1.2). */
export const ONNX_IR_RANGE = [3, 10] as const;
export const ONNX_OPSET_RANGE = [7, 21] as const;
/** Repeated values (nodes, names, attributes, numbers in lists) one file may declare: far above any model within the limits. */
const MAX_WIRE_VALUES = 2 ** 20;

/**
 * A convlab model from the bytes of an .onnx file: a chain of the supported operations over float32 initializers.
 * `readExternal` reads a tensor's external data file (a name beside the model); without it such files are refused.
 */
export function modelFromOnnx(bytes: Uint8Array, name = 'model.onnx', readExternal: WeightsReader | null = null): Sequential {
  return readOnnx(bytes, name, readExternal).model;
}

/** modelFromOnnx with the input scale of the file's metadata (INPUT_SCALE_KEY), when it has one. */
export function readOnnx(bytes: Uint8Array, name = 'model.onnx', readExternal: WeightsReader | null = null): { model: Sequential; inputScale?: InputScale } {
  const file = printable(name);
  if (bytes.length === 0) throw new ModelFileError(`${file} is not a valid ONNX model (it has no graph of operations)`);
  scanOnnx(bytes, file, { values: MAX_WIRE_VALUES, nodes: 2 * MAX_LAYERS, depth: 32 });
  let proto: OnnxTypes.ModelProto;
  try { proto = onnx.ModelProto.decode(bytes); } catch (error) {
    throw new ModelFileError(`${file} is not a valid ONNX model (its protobuf does not decode: ${(error as Error).message})`);
  }
  const graph = proto.graph as OnnxTypes.GraphProto | null; // decoded messages have every list, empty or not
  if (!graph || graph.node.length === 0) throw new ModelFileError(`${file} is not a valid ONNX model (it has no graph of operations)`);
  const ctx = context(proto, graph, file, readExternal);

  for (const nodeProto of graph.node as OnnxTypes.NodeProto[]) {
    const node = new OnnxNode(nodeProto, ctx, ONNX_SUPPORTED);
    if (nodeProto.domain && nodeProto.domain !== 'ai.onnx') node.refuse(`it is from the operator set '${printable(nodeProto.domain)}'`);
    const live = nodeProto.output.filter((o) => o);
    if (live.length !== 1) node.refuse(Object.hasOwn(MORE_OUTPUTS, node.op) ? MORE_OUTPUTS[node.op](node) : 'only operations with one output are supported');
    if (ctx.values.has(live[0])) node.refuse(`its output '${printable(live[0])}' is already defined by another operation or initializer`);
    const inputs = nodeProto.input.filter((i) => i);
    for (const input of inputs) if (!ctx.values.has(input)) node.refuse(`it reads '${printable(input)}', which no earlier operation or initializer makes`);
    const activations = inputs.filter((i) => ctx.values.get(i)!.kind === 'activation');
    const stray = activations.find((i) => i !== ctx.current);
    if (stray !== undefined || (activations.length === 0 && inputs.length > 0 && !CONSTANT_OPS[node.op])) {
      node.refuse(`convlab imports a chain of operations, each reading the one before; this reads '${printable(stray ?? inputs[0])}', not '${printable(ctx.current)}'`);
    }
    if (activations.length === 0) {
      const handler = Object.hasOwn(CONSTANT_OPS, node.op) ? CONSTANT_OPS[node.op] : null;
      if (!handler) node.refuse('convlab has no such layer');
      handler!(node);
      continue;
    }
    if (activations.length > 1) node.refuse('it reads the activation twice (a branch); convlab imports a chain');
    if (node.op === 'Shape') { CONSTANT_OPS.Shape(node); continue; }
    if (ctx.ended) node.refuse(`it follows '${printable(ctx.ended)}' (LogSoftmax), which convlab imports as a softmax only at the end of the model`);
    const handler = Object.hasOwn(ONNX_OPS, node.op) ? ONNX_OPS[node.op] : null;
    if (!handler) node.refuse('convlab has no such layer');
    if (ctx.unitDims > 0 && node.op !== 'BatchNormalization' && node.op !== 'Squeeze') {
      node.refuse(`it reads [N,${ctx.shape.join(',')}${',1'.repeat(ctx.unitDims)}]; convlab takes sizes of 1 added by an Unsqueeze only around a BatchNormalization`);
    }
    handler!(node);
    ctx.values.set(live[0], { kind: 'activation', name: live[0] });
    ctx.current = live[0];
    checkSampleShape(ctx.shape, `${file}: the output of '${printable(node.label)}'`);
  }
  if (ctx.unitDims > 0) throw new ModelFileError(`${file}: the graph ends with the sizes of 1 an Unsqueeze added still there; convlab gives [N,${ctx.shape.join(',')}] (${ctx.about})`);
  const output = graph.output[0]?.name;
  if (graph.output.length !== 1 || output !== ctx.current) {
    throw new ModelFileError(`${file}: the graph's output must be the last operation's ('${printable(ctx.current)}'), it is ${graph.output.map((o) => `'${printable(o.name)}'`).join(', ')}`);
  }
  if (ctx.configs.length === 0) throw new ModelFileError(`${file}: the graph only passes its input through (no operation of it is a layer); a convlab model needs at least one layer (${ctx.about})`);
  const model = build(ctx, file);
  const scale = (proto.metadataProps as OnnxTypes.StringStringEntryProto[]).find((p) => p.key === INPUT_SCALE_KEY);
  if (!scale) return { model };
  let value: unknown;
  try { value = JSON.parse(scale.value ?? ''); } catch { value = scale.value; }
  return { model, inputScale: readInputScale(value, model.inputShape, `${file}: its metadata '${INPUT_SCALE_KEY}'`) };
}

/** The import context: producer and opset checked, initializers registered (nothing copied), the one input read. */
function context(proto: OnnxTypes.ModelProto, graph: OnnxTypes.GraphProto, file: string, readExternal: WeightsReader | null): OnnxImport {
  const ir = number(proto.irVersion);
  const opsetEntry = proto.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = opsetEntry ? number(opsetEntry.version) : 1;
  const producer = proto.producerName ? `${printable(proto.producerName, 40)}${proto.producerVersion ? ` ${printable(proto.producerVersion, 20)}` : ''}` : 'an unnamed tool';
  const about = `this file: made by ${producer}, ONNX IR ${ir}, opset ${opset}`;
  if (opset < ONNX_OPSET_RANGE[0]) throw new ModelFileError(`${file} uses ONNX opset ${opset}; convlab reads opset 7 and later (${about})`);
  if (opset > ONNX_OPSET_RANGE[1]) throw new ModelFileError(`${file} uses ONNX opset ${opset}; convlab reads opsets ${ONNX_OPSET_RANGE.join('–')} (${about})`);
  if (!(ir >= ONNX_IR_RANGE[0] && ir <= ONNX_IR_RANGE[1])) throw new ModelFileError(`${file} has ONNX IR version ${ir}; convlab reads IR versions ${ONNX_IR_RANGE.join('–')} (${about})`);

  const initializers = new Map<string, OnnxTypes.TensorProto>();
  for (const t of graph.initializer as OnnxTypes.TensorProto[]) {
    if (initializers.has(t.name)) throw new ModelFileError(`${file}: two initializers are named '${printable(t.name)}'`);
    initializers.set(t.name, t);
  }
  const inputs = (graph.input as OnnxTypes.ValueInfoProto[]).filter((v) => !initializers.has(v.name ?? ''));
  if (inputs.length !== 1) throw new ModelFileError(`${file} has ${inputs.length} inputs (${inputs.slice(0, 8).map((v) => printable(v.name)).join(', ')}); convlab models take one`);
  const input = inputs[0];
  const dims = input.type?.tensorType?.shape?.dim ?? [];
  const sizes = dims.slice(1).map((d) => number(d.dimValue));
  if (input.type?.tensorType?.elemType !== DATA_TYPE.FLOAT || (sizes.length !== 3 && sizes.length !== 1)) {
    throw new ModelFileError(`${file}: the input '${printable(input.name)}' is ${describeInput(input)}; convlab models take float32 [N,C,H,W] images or [N,n] vectors with fixed sizes (${about})`);
  }
  checkSampleShape(sizes, `${file}: the input`);
  const batch = dims[0] && number(dims[0].dimValue) > 0 ? number(dims[0].dimValue) : Number.NaN;
  const ctx = new OnnxImport(file, about, opset, { name: input.name ?? '', shape: sizes, batch }, readExternal);
  for (const t of initializers.values()) ctx.values.set(t.name, ctx.initializer(t));
  return ctx;
}

const ELEMENT_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 16: 'bfloat16' };

/** What an input is, for a refusal: 'int8 [3,4,5]', 'float32 [N,3,?]', 'a sequence'. */
function describeInput(input: OnnxTypes.ValueInfoProto): string {
  const type = input.type;
  if (!type?.tensorType) return type?.sequenceType ? 'a sequence' : type?.optionalType ? 'an optional value' : type?.mapType ? 'a map' : 'not a tensor';
  const t = type.tensorType, dims = t.shape?.dim ?? [];
  const element = ELEMENT_TYPES[t.elemType ?? 0] ?? `data type ${t.elemType}`;
  const shape = t.shape ? `[${dims.map((d) => (d.dimParam ? printable(d.dimParam, 12) : number(d.dimValue) > 0 ? number(d.dimValue) : '?')).join(',')}]` : 'of unknown shape';
  return `${element} ${shape}`;
}

/** Build the model and copy the weights (all limits already checked). */
function build(ctx: OnnxImport, file: string): Sequential {
  let model: Sequential;
  try { model = new Sequential({ inputShape: ctx.inputShape, layers: ctx.configs }); } catch (error) {
    throw new ModelFileError(`${file} describes a network convlab cannot build: ${(error as Error).message}`);
  }
  for (const w of ctx.weights) {
    const layer = model.layers[w.layer] as ConvLayer | DenseLayer | BatchNormLayer;
    if (layer instanceof BatchNormLayer) {
      layer.gamma.data.set(w.kernel()); layer.beta.data.set(w.bias!());
      layer.runningMean.data.set(w.state![0]()); layer.runningVar.data.set(w.state![1]());
      continue;
    }
    const target = layer instanceof ConvLayer ? layer.kernels : layer.weights;
    target.data.set(w.kernel());
    if (w.bias) layer.bias.data.set(w.bias()); else layer.bias.data.fill(0);
  }
  return model;
}

export { MAX_PARAMETERS };
