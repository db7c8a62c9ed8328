// core/explain/inspect/common.ts: what every inspection of a trained network needs, from the model's own passes:
//   activations[0] = x,  activations[i+1] = layer_i(activations[i])           (the model's forward, one sample)
//   scores = activations[s]: the class scores (logits): a last softmax's input, else the model's output
//   gradients[i] = ∂v/∂activations[i] for a value v = Σ dAt · activations[at]  (explainLayerBackward, layer by layer)
// Nothing here states a layer's maths: the forward is the layers' forward, the backward the ops' backward.
import { type Tensor, fromData, contiguousData, formatShape, sizeOf } from '../../tensor.js';
import { expectTensor } from '../../check.js';
import type { Sequential } from '../../nn/model.js';
import { softmax } from '../../ops/softmax.js';
import { explainLayerBackward } from '../backward/model.js';

/** The input as one sample of the model's input shape (a fresh contiguous copy); throws naming `op` otherwise. */
export function sampleOf(op: string, inputShape: readonly number[], input: Tensor | Float32Array): Float32Array {
  if (input instanceof Float32Array) {
    if (input.length !== sizeOf(inputShape)) throw new RangeError(`${op}: the model takes one sample of ${formatShape(inputShape)} (${sizeOf(inputShape)} values), got ${input.length} values`);
    return Float32Array.from(input);
  }
  expectTensor(op, 'input', input);
  if (input.dimension !== inputShape.length || input.shape.some((d, i) => d !== inputShape[i])) {
    throw new RangeError(`${op}: the model takes one sample of ${formatShape(inputShape)}, got ${formatShape(input)}`);
  }
  return Float32Array.from(contiguousData(input));
}

/** Every layer's activation for one sample, in per-sample shapes: [x, layer 0's output, …, the model's output]. */
export function forwardSample(model: Sequential, sample: Float32Array): Tensor[] {
  const x = fromData(sample, model.inputShape);
  return [x, ...model.activations(x).map((t, i) => fromData(t.data, model.layers[i].outputShape))];
}

/** Index into the activations of the class scores (logits): a last softmax's input, else the model's output. */
export const scoreIndex = (model: Sequential): number => model.layers.length - (model.endsWithSoftmax ? 1 : 0);

/** The class probabilities of outputs [N, classes] (a model without a last softmax gets one here). */
export function probabilitiesOf(model: Sequential, outputs: Float32Array, count: number): Float32Array {
  return model.endsWithSoftmax ? outputs : softmax(fromData(outputs, [count, model.classes])).data;
}

/** gradients[i] = ∂v/∂activations[i] for i ≤ at, v = Σ dAt · activations[at] (dAt in activations[at]'s shape). */
export function backwardFrom(model: Sequential, activations: Tensor[], at: number, dAt: Tensor): Tensor[] {
  const gradients: Tensor[] = new Array(at + 1);
  gradients[at] = dAt;
  for (let i = at - 1; i >= 0; i--) gradients[i] = explainLayerBackward(model, i, activations[i], gradients[i + 1]).dInput;
  return gradients;
}

/** ∂(score of class c)/∂activations[i] for every i up to the scores. */
export function scoreGradients(model: Sequential, activations: Tensor[], klass: number): Tensor[] {
  const s = scoreIndex(model), dScores = new Float32Array(model.classes);
  dScores[klass] = 1;
  return backwardFrom(model, activations, s, fromData(dScores, activations[s].shape));
}

export function checkClass(op: string, model: Sequential, klass: unknown): asserts klass is number {
  if (!(typeof klass === 'number' && Number.isInteger(klass) && klass >= 0 && klass < model.classes)) {
    throw new RangeError(`${op}: class ${String(klass)} is out of range (0..${model.classes - 1})`);
  }
}

export function checkLayer(op: string, model: Sequential, layer: unknown): asserts layer is number {
  if (!(typeof layer === 'number' && Number.isInteger(layer) && layer >= 0 && layer < model.layers.length)) {
    throw new RangeError(`${op}: layer ${String(layer)} is out of range (the model has layers 0..${model.layers.length - 1})`);
  }
}

/** An option that must be an integer in [low, high] (undefined or null: the default). */
export function integerOption(op: string, name: string, value: unknown, fallback: number, low: number, high: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    throw new RangeError(`${op}: ${name} must be an integer ${low}…${high}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The data of pca and umap: a float32 or float64 matrix [rows, cols] row-major, with rows minRows…maxRows, cols
 *  1…maxCols and at most maxValues values in all; refused naming `op` before any work. Returns rows and cols checked. */
export function matrixArguments(op: string, data: unknown, rows: unknown, cols: unknown,
  limits: { minRows: number; maxRows: number; maxCols: number; maxValues: number }): { rows: number; cols: number } {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) throw new TypeError(`${op}: data must be a Float32Array or Float64Array`);
  const r = integerOption(op, 'rows', rows, 0, limits.minRows, limits.maxRows);
  const c = integerOption(op, 'cols', cols, 0, 1, limits.maxCols);
  if (r * c > limits.maxValues) throw new RangeError(`${op}: ${r}×${c} values, more than the limit of ${limits.maxValues}`);
  if (data.length !== r * c) throw new RangeError(`${op}: data holds ${data.length} values but ${r}×${c} needs ${r * c}`);
  return { rows: r, cols: c };
}

/** An option that must be a finite number in [low, high] (undefined or null: the default). */
export function numberOption(op: string, name: string, value: unknown, fallback: number, low: number, high: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < low || value > high) {
    throw new RangeError(`${op}: ${name} must be a number ${low}…${high}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The activations at index `at` (0: the input, i + 1: layer i's output) of `count` samples, through the model's
 *  own layers in chunks (memory: one chunk's activations at a time). */
export function activationsAt(model: Sequential, inputs: Float32Array, count: number, at: number, chunk = 200): Float32Array {
  return forwardLayers(model, inputs, count, 0, at, chunk);
}

/** Activations at index `to` from those at index `from` (≤ to) of `count` samples, layer by layer in chunks. */
export function forwardLayers(model: Sequential, values: Float32Array, count: number, from: number, to: number, chunk = 200): Float32Array {
  const widthAt = (at: number) => (at === 0 ? sizeOf(model.inputShape) : sizeOf(model.layers[at - 1].outputShape));
  const inWidth = widthAt(from), outWidth = widthAt(to);
  if (values.length < count * inWidth) throw new RangeError(`forwardLayers: ${count} samples of ${inWidth} values need ${count * inWidth}, got ${values.length}`);
  if (from === to) return values.slice(0, count * inWidth);
  const out = new Float32Array(count * outWidth);
  for (let start = 0; start < count; start += chunk) {
    const n = Math.min(chunk, count - start);
    let v = values.subarray(start * inWidth, (start + n) * inWidth);
    for (let i = from; i < to; i++) v = model.layers[i].forward(v, n, false, null);
    out.set(v.subarray(0, n * outWidth), start * outWidth);
  }
  return out;
}
