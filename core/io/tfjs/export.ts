// core/io/tfjs/export.ts: convlab models to the TF.js layers format (model.json + one float32 weights file),
// which tf.loadLayersModel reads and tensorflowjs_converter turns into a Keras .h5 file.
// Keras keeps a sample as [H,W,C] (channels last); convlab as [C,H,W]. So:
//   conv kernels   convlab [K,C,kh,kw]  ↔ Keras [kh,kw,C,K]
//   dense weights  convlab [out,in]     ↔ Keras [in,out]
//   flatten order  convlab (c,h,w)      ↔ Keras (h,w,c): the first dense after a flatten of C > 1 maps has its
//                  input rows permuted (or, with nothing to absorb it, a Permute([3,1,2]) goes before Flatten).
// A wrong order still loads and predicts wrongly, so the tests compare predictions, not just shapes.
import { DEFAULT_ALPHA } from '../../ops/activations.js';
import { DEFAULT_EPS } from '../../ops/normalize.js';
import type { InputScale } from '../modelFile.js';
import type { Sequential } from '../../nn/model.js';
import type { ConvLayer, DenseLayer, BatchNormLayer } from '../../nn/layers.js';
import { readBatchNormSettings } from '../../ops/batchNorm.js';
import type { Pair } from '../../tensor.js';
import { bytesFromFloat32 } from '../limits.js';

export const TFJS_WEIGHTS_FILE = 'weights.bin';


export interface TfjsWeightEntry { name: string; shape: number[]; dtype: string; quantization?: unknown }
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: { class_name: 'Sequential'; config: { name: string; layers: KerasLayer[] }; keras_version: string; backend: string };
  weightsManifest: { paths: string[]; weights: TfjsWeightEntry[] }[];
  /** convlab's own: what the model expects of its input. */
  userDefinedMetadata?: { convlabInputScale: InputScale };
}
export interface KerasLayer { class_name: string; config: Record<string, unknown> }

const ELEMENTWISE = new Set(['relu', 'sigmoid', 'tanh', 'leakyRelu', 'dropout', 'batchNorm']);
const pair = (value: Pair | null | undefined, fallback: number): [number, number] =>
  value === undefined || value === null ? [fallback, fallback] : typeof value === 'number' ? [value, value] : [value[0], value[1]];

// ─── export ──────────────────────────────────────────────────────────────────────────────────────────────

/** The model as TF.js layers-format artifacts: model.json (as an object) and the bytes of its weights file. */
/** The model as a TF.js layers model.json and its weights; `inputScale` (what it expects of its input) goes into
 *  userDefinedMetadata.convlabInputScale, which convlab's import reads back (TF.js keeps it and ignores it). */
export function modelToTfjs(model: Sequential, weightsFile = TFJS_WEIGHTS_FILE, inputScale?: InputScale): { modelJson: TfjsModelJson; weights: Uint8Array } {
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
      case 'leakyRelu': add('LeakyReLU', 'leaky_re_lu', { alpha: config.alpha ?? DEFAULT_ALPHA }); break;
      case 'maxPool': {
        const size = pair(config.size, 1);
        add('MaxPooling2D', 'max_pooling2d', { pool_size: size, strides: config.stride === undefined || config.stride === null ? size : pair(config.stride, 1),
          padding: 'valid', data_format: 'channels_last' });
        break;
      }
      // convlab normalises each map of each sample over its H×W values: Keras axes 1 and 2 of [N,H,W,C]
      case 'normalize': add('LayerNormalization', 'layer_normalization', { axis: [1, 2], epsilon: config.eps ?? DEFAULT_EPS, center: false, scale: false }); break;
      case 'batchNorm': {
        const bn = layer as BatchNormLayer, C = shape[0];
        const { momentum, eps } = readBatchNormSettings('tfjs export', config.momentum, config.eps);
        // over the last axis (channels-last maps, or features); Keras's momentum is the old average's weight
        const name = add('BatchNormalization', 'batch_normalization', { axis: -1, momentum: 1 - momentum, epsilon: eps, center: true, scale: true });
        // after a Flatten in Keras order (h,w,c), feature i of Keras's vector is convlab's feature permuted[i]
        const order = shape.length === 1 ? permuted : null;
        const reorder = (values: Float32Array) => (order ? Float32Array.from({ length: C }, (_, i) => values[order[i]]) : Float32Array.from(values));
        weight(`${name}/gamma`, [C], reorder(bn.gamma.data));
        weight(`${name}/beta`, [C], reorder(bn.beta.data));
        weight(`${name}/moving_mean`, [C], reorder(bn.runningMean.data));
        weight(`${name}/moving_variance`, [C], reorder(bn.runningVar.data));
        break;
      }
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
      ...(inputScale ? { userDefinedMetadata: { convlabInputScale: inputScale } } : {}),
    },
    weights: bytesFromFloat32(all),
  };
}

/** order[i] = the convlab (c,h,w) index of Keras's (h,w,c) flat index i. */
export function kerasToConvlabOrder(C: number, H: number, W: number): number[] {
  const order = new Array<number>(C * H * W);
  for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) order[(h * W + w) * C + c] = (c * H + h) * W + w;
  return order;
}
