// core/io/onnx/export.ts: convlab models to ONNX (opset 13, IR version 8), the format ONNX Runtime, PyTorch's
// exporter and model viewers share. ONNX is channels-first like convlab ([N,C,H,W], kernels [K,C,kh,kw],
// Flatten in (c,h,w) order), so weights go across unchanged; a dense layer is Gemm with transB = 1 ([out,in]).
//   conv → Conv (explicit pads; 'same' as TensorFlow: the odd pixel at the bottom/right)   maxPool → MaxPool
//   relu, leakyRelu, sigmoid, tanh → Relu, LeakyRelu, Sigmoid, Tanh                        flatten → Flatten
//   normalize → InstanceNormalization with scale 1 and bias 0 (the same per-map formula)    dense → Gemm
//   dropout → Dropout (identity at inference)                                               softmax → Softmax
import { DEFAULT_ALPHA } from '../../ops/activations.js';
import { DEFAULT_EPS } from '../../ops/normalize.js';
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import type { Sequential } from '../../nn/model.js';
import type { ConvLayer, DenseLayer, BatchNormLayer } from '../../nn/layers.js';
import { readBatchNormSettings } from '../../ops/batchNorm.js';
import type { Pair } from '../../tensor.js';
import { readPadding } from '../../check.js';
import { bytesFromFloat32 } from '../limits.js';
import type { InputScale } from '../modelFile.js';

/** The metadata key of the input scale in an .onnx file convlab writes (value: {"mean": [...], "std": [...]}). */
export const INPUT_SCALE_KEY = 'convlab.input_scale';

const { onnx } = onnxProto;
type NodeProto = OnnxTypes.INodeProto;
type TensorProto = OnnxTypes.ITensorProto;

export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 8;

export const FLOAT = 1; // TensorProto.DataType.FLOAT
const ATTRIBUTE = { FLOAT: 1, INT: 2, INTS: 7 } as const;
const pair = (value: Pair | undefined | null, fallback: number): [number, number] =>
  value === undefined || value === null ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0], value[1]];

// ─── export ──────────────────────────────────────────────────────────────────────────────────────────────

/** The model as the bytes of an .onnx file: input 'input' [N,...inputShape], output 'output' [N,...outputShape]. */
/** The model as .onnx bytes; `inputScale` (what it expects of its input) goes into the file's metadata as
 *  INPUT_SCALE_KEY (JSON), which convlab's import reads back. */
export function modelToOnnx(model: Sequential, inputScale?: InputScale): Uint8Array {
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
        const [, H, W] = layer.inputShape;
        const [sh, sw] = pair(config.stride, 1);
        // check.ts's rule ('same' as TensorFlow), [top,bottom,left,right] → ONNX's [top,left,bottom,right]
        const [top, bottom, left, right] = readPadding('onnx export', config.padding, H, W, kh, kw, sh, sw);
        const pads = [top, left, bottom, right];
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
      case 'leakyRelu': node('LeakyRelu', label, [], [{ name: 'alpha', type: ATTRIBUTE.FLOAT, f: config.alpha ?? DEFAULT_ALPHA }]); break;
      case 'maxPool': {
        const size = pair(config.size, 1);
        node('MaxPool', label, [], [ints('kernel_shape', size), ints('strides', config.stride === undefined || config.stride === null ? size : pair(config.stride, 1)),
          ints('pads', [0, 0, 0, 0])]);
        break;
      }
      case 'normalize': {
        const C = layer.inputShape[0];
        node('InstanceNormalization', label, [tensor(`layer${i}.scale`, [C], new Float32Array(C).fill(1)), tensor(`layer${i}.shift`, [C], new Float32Array(C))],
          [{ name: 'epsilon', type: ATTRIBUTE.FLOAT, f: config.eps ?? DEFAULT_EPS }]);
        break;
      }
      case 'batchNorm': {
        const bn = layer as BatchNormLayer, C = layer.inputShape[0];
        const { momentum, eps } = readBatchNormSettings('onnx export', config.momentum, config.eps);
        // ONNX's momentum is the old average's weight: 1 − convlab's (PyTorch's) new-batch weight
        node('BatchNormalization', label, [tensor(`layer${i}.gamma`, [C], bn.gamma.data), tensor(`layer${i}.beta`, [C], bn.beta.data),
          tensor(`layer${i}.runningMean`, [C], bn.runningMean.data), tensor(`layer${i}.runningVar`, [C], bn.runningVar.data)],
        [{ name: 'epsilon', type: ATTRIBUTE.FLOAT, f: eps }, { name: 'momentum', type: ATTRIBUTE.FLOAT, f: 1 - momentum }]);
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
    ...(inputScale ? { metadataProps: [{ key: INPUT_SCALE_KEY, value: JSON.stringify(inputScale) }] } : {}),
  });
  return onnx.ModelProto.encode(proto).finish();
}
