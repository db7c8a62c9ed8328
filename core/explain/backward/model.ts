// core/explain/backward/model.ts: a whole model's backward pass for one sample and a chosen target class,
// layer by layer through the ops' own backward functions, keeping ∂L/∂(activation) at every layer.
//   activations[0] = x,  activations[i+1] = layer_i(activations[i])
//   gradients[i] = ∂L/∂activations[i] = layer_i′ᵀ · gradients[i+1]                          (1)
// The loss: 'crossEntropy' with a softmax last gives ∂L/∂p = −1/p[y] at the target and, fused as the trainer
// does, ∂L/∂z = p − onehot(y) at the logits; without a softmax the output is taken as the logits.
// 'mse' (the Iris network) gives ∂L/∂ŷ = 2(ŷ − onehot(y))/C.
import { type Tensor, fromData, contiguousData, formatShape, reshape } from '../../tensor.js';
import { expectTensor } from '../../check.js';
import type { Sequential } from '../../nn/model.js';
import { ConvLayer, DenseLayer, BatchNormLayer } from '../../nn/layers.js';
import { conv3dBackward } from '../../ops/conv3d.js';
import { denseBackward } from '../../ops/dense.js';
import { maxPoolBackward } from '../../ops/maxPool.js';
import { normalizeBackward } from '../../ops/normalize.js';
import { batchNormBackward } from '../../ops/batchNorm.js';
import { reluBackward, leakyReluBackward, sigmoidBackward, tanhBackward } from '../../ops/activations.js';
import { softmaxBackward, softmaxCrossEntropy, softmaxCrossEntropyBackward, crossEntropyBackward, mse, mseBackward } from '../../ops/softmax.js';

export type GradientLoss = 'crossEntropy' | 'mse';

/** The gradients of one layer's parameters, named as the layer names them. */
export type ParameterGradients = { kind: 'conv'; kernels: Tensor; bias: Tensor } | { kind: 'dense'; weights: Tensor; bias: Tensor } |
  { kind: 'batchNorm'; gamma: Tensor; beta: Tensor } | null;

export interface ModelGradients {
  loss: number; lossKind: GradientLoss; target: number;
  /** activations[i]: what layer i reads (per-sample shape); the last one is the model's output. */
  activations: Tensor[];
  /** gradients[i] = ∂L/∂activations[i], same shapes. */
  gradients: Tensor[];
  /** Each layer's parameter gradients (null for a layer without parameters). */
  parameters: ParameterGradients[];
  /** True when the loss gradient enters at the logits (softmax and cross-entropy fused). */
  fused: boolean;
}

/** (1) for one sample `input` (the model's input shape) and the target class `target`. */
export function explainModelGradients(model: Sequential, input: Tensor, target: number, { loss = 'crossEntropy' as GradientLoss } = {}): ModelGradients {
  const op = 'explainModelGradients';
  expectTensor(op, 'input', input);
  if (input.dimension !== model.inputShape.length || input.shape.some((d, i) => d !== model.inputShape[i])) {
    throw new RangeError(`${op}: the model takes one sample of ${formatShape(model.inputShape)}, got ${formatShape(input)}`);
  }
  const classes = model.classes;
  if (!(Number.isInteger(target) && target >= 0 && target < classes)) throw new RangeError(`${op}: target class ${target} is out of range (0..${classes - 1})`);
  if (loss !== 'crossEntropy' && loss !== 'mse') throw new TypeError(`${op}: loss must be 'crossEntropy' or 'mse', got '${loss as string}'`);
  const sample = fromData(Float32Array.from(contiguousData(input)), model.inputShape);
  const activations = [sample, ...model.activations(sample).map((t, i) => fromData(t.data, model.layers[i].outputShape))];
  const L = model.layers.length, gradients: Tensor[] = new Array(L + 1), parameters: ParameterGradients[] = new Array(L).fill(null);
  const output = fromData(activations[L].data, [classes]);
  let value: number, from = L - 1, fused = false;
  if (loss === 'mse') {
    value = mse(output, target);
    gradients[L] = reshape(mseBackward(output, target), model.outputShape);
  } else if (model.endsWithSoftmax) {
    const logits = fromData(activations[L - 1].data, [classes]);
    value = softmaxCrossEntropy(logits, target);
    gradients[L] = reshape(crossEntropyBackward(output, target), model.outputShape);
    gradients[L - 1] = reshape(softmaxCrossEntropyBackward(logits, target), model.layers[L - 1].inputShape);
    from = L - 2; fused = true;
  } else {
    value = softmaxCrossEntropy(output, target);
    gradients[L] = reshape(softmaxCrossEntropyBackward(output, target), model.outputShape);
  }
  for (let i = from; i >= 0; i--) {
    const step = explainLayerBackward(model, i, activations[i], gradients[i + 1]);
    gradients[i] = step.dInput;
    parameters[i] = step.parameters;
  }
  return { loss: value, lossKind: loss, target, activations, gradients, parameters, fused };
}

/** One layer's backward by its op: the input gradient (in the layer's input shape) and its parameter gradients. */
export function explainLayerBackward(model: Sequential, index: number, input: Tensor, dOut: Tensor): { dInput: Tensor; parameters: ParameterGradients } {
  const op = 'explainLayerBackward';
  if (!(Number.isInteger(index) && index >= 0 && index < model.layers.length)) throw new RangeError(`${op}: layer ${index} is out of range (0..${model.layers.length - 1})`);
  const layer = model.layers[index], config = layer.config;
  const x = reshape(input, layer.inputShape), d = reshape(dOut, layer.outputShape);
  if (layer instanceof ConvLayer) {
    const { dInput, dKernels, dBias } = conv3dBackward(x, layer.kernels, d, { stride: layer.config.stride, padding: layer.config.padding });
    return { dInput, parameters: { kind: 'conv', kernels: dKernels, bias: dBias } };
  }
  if (layer instanceof DenseLayer) {
    const { dInput, dW, db } = denseBackward(x, layer.weights, d);
    return { dInput, parameters: { kind: 'dense', weights: dW, bias: db } };
  }
  switch (config.type) {
    case 'relu': return { dInput: reluBackward(x, d), parameters: null };
    case 'leakyRelu': return { dInput: leakyReluBackward(x, d, { alpha: config.alpha }), parameters: null };
    case 'sigmoid': return { dInput: sigmoidBackward(x, d), parameters: null };
    case 'tanh': return { dInput: tanhBackward(x, d), parameters: null };
    case 'maxPool': return { dInput: maxPoolBackward(x, d, { size: config.size, stride: config.stride }), parameters: null };
    case 'normalize': return { dInput: normalizeBackward(x, d, { eps: config.eps }), parameters: null };
    // an evaluated model normalises with the running statistics (ops/batchNorm.ts (5)): dβ[c] = Σ δ, dγ[c] = Σ δ·x̂ per channel
    case 'batchNorm': {
      const l = layer as BatchNormLayer;
      const { dInput, dGamma, dBeta } = batchNormBackward(reshape(x, [1, ...layer.inputShape]), reshape(d, [1, ...layer.outputShape]),
        { gamma: l.gamma, beta: l.beta, runningMean: l.runningMean, runningVar: l.runningVar, eps: config.eps, training: false });
      return { dInput: reshape(dInput, layer.inputShape), parameters: { kind: 'batchNorm', gamma: dGamma, beta: dBeta } };
    }
    case 'softmax': return { dInput: softmaxBackward(x, d), parameters: null };
    // flatten changes the shape only; dropout is off when a model is evaluated: both pass δ through
    case 'flatten': case 'dropout': return { dInput: fromData(Float32Array.from(contiguousData(d)), layer.inputShape), parameters: null };
    default: throw new TypeError(`${op}: layer ${index} has an unknown type '${(config as { type: string }).type}'`);
  }
}
