// Loading the shipped model and the sample digits, and running a digit through any sequential model.
import { modelFromJSON, fromData, rgbaToInk, toMnistDigit, imageToModelInput, type Sequential, type Tensor } from '../../../core/index.js';

export interface Sample { label: number; index: number; pixels: number[] }

export async function loadSamples(): Promise<Sample[]> {
  const response = await fetch('./data/samples.json');
  if (!response.ok) throw new Error(`cannot load sample digits (${response.status}); run npm start, which writes them`);
  return response.json();
}

export async function loadShippedModel(): Promise<Sequential> {
  const response = await fetch('./cnn.json');
  if (!response.ok) throw new Error(`cannot load the shipped model cnn.json (${response.status})`);
  return modelFromJSON(await response.text(), 'cnn.json').model;
}

/** inputs[i] is what layer i reads (per-sample shape); inputs[layers.length] is the model's output. */
export function layerInputs(model: Sequential, pixels: ArrayLike<number>): Tensor[] {
  const input = fromData(Float32Array.from(pixels), model.inputShape);
  const outputs = model.activations(input).map((t, i) => fromData(t.data, model.layers[i].outputShape));
  return [input, ...outputs];
}

/** The [C,H,W] shape a flat vector came from (before the nearest flatten), for drawing dense weights as maps. */
export function unflattenedShape(model: Sequential, layer: number): number[] {
  for (let i = layer - 1; i >= 0; i--) {
    if (model.configs[i].type === 'flatten') return model.layers[i].inputShape;
    if (model.configs[i].type === 'dense') break;
  }
  const shape = model.layers[layer].inputShape;
  return shape.length === 1 ? [1, 1, shape[0]] : shape;
}

export const mapsOf = (t: Tensor): { values: Float32Array; height: number; width: number }[] => {
  const shape = t.shape.length === 3 ? t.shape : [1, 1, t.size];
  const [C, H, W] = shape, data = t.data.subarray(t.offset, t.offset + t.size);
  return Array.from({ length: C }, (_, c) => ({ values: data.subarray(c * H * W, (c + 1) * H * W), height: H, width: W }));
};

/** Any image file (PNG, …) → a 28×28 MNIST-style digit (centred by mass, scaled), via core's preprocessing. */
export async function imageFileToDigit(file: Blob): Promise<{ digit: Float32Array; width: number; height: number }> {
  const bitmap = await createImageBitmap(file);
  const scratch = new OffscreenCanvas(bitmap.width, bitmap.height), context = scratch.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { digit: toMnistDigit(rgbaToInk(data, bitmap.width, bitmap.height), bitmap.width, bitmap.height), width: bitmap.width, height: bitmap.height };
}

/** Any image file → the input a model takes (core's imageToModelInput): a digit for digit models, colour planes [3,H,W] for colour ones. */
export async function imageFileToInput(file: Blob, inputShape: readonly number[]): Promise<{ input: Float32Array; width: number; height: number }> {
  const bitmap = await createImageBitmap(file);
  const scratch = new OffscreenCanvas(bitmap.width, bitmap.height), context = scratch.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { input: imageToModelInput(data, bitmap.width, bitmap.height, inputShape), width: bitmap.width, height: bitmap.height };
}
