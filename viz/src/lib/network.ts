// Loading the shipped model and the sample digits, and running a digit through any sequential model.
import { modelFromJSON, fromData, rgbaToInk, toMnistDigit, imageToModelInput, checkImageHeader, inkFound, scaleInput, inputFits, IMAGE_LIMITS, type Sequential, type Tensor, type InputScale } from '../../../core/index.js';

/** Whether the explainer can feed a model: 28×28 digits in the layout the model declares (core's inputFits: [1,28,28],
 *  [28,28] or [784]; the same 784 values as [2,14,28] would be read in the wrong places), or colour pictures [3,H,W]. */
export function explainerFeeds(inputShape: readonly number[]): boolean {
  return inputFits(inputShape, [1, 28, 28]) || (inputShape.length === 3 && inputShape[0] === 3);
}

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

/** inputs[i] is what layer i reads (per-sample shape); inputs[layers.length] is the model's output. A model whose file
 *  states an input scale reads the pixels scaled as it expects ((x − mean)/std, core's scaleInput). */
export function layerInputs(model: Sequential, pixels: ArrayLike<number>, inputScale?: InputScale): Tensor[] {
  const values = Float32Array.from(pixels);
  scaleInput(values, inputScale, model.inputShape);
  const input = fromData(values, model.inputShape);
  const outputs = model.activations(input).map((t, i) => fromData(t.data, model.layers[i].outputShape));
  return [input, ...outputs];
}

/** An image file's RGBA pixels, bounded before the browser decodes it: the file's size, then the declared width ×
 *  height from the header of every format it takes (core's checkImageHeader: PNG, GIF, JPEG, WebP, BMP; anything
 *  else refused), so a decompression bomb — a 35-byte GIF declaring 23000×23000 — is refused, not decoded. */
async function decodeImage(file: Blob): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  if (file.size > IMAGE_LIMITS.fileBytes) throw new RangeError(`the file has ${file.size} bytes, more than the limit of ${IMAGE_LIMITS.fileBytes} (16 MiB)`);
  checkImageHeader(new Uint8Array(await file.arrayBuffer()), 'the image');
  const bitmap = await createImageBitmap(file);
  const { width, height } = bitmap;
  if (width * height > IMAGE_LIMITS.pixels) throw new RangeError(`the image is ${width}×${height}, more than the limit of ${IMAGE_LIMITS.pixels} pixels`);
  const context = new OffscreenCanvas(width, height).getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return { data: context.getImageData(0, 0, width, height).data, width, height };
}

/** An image file → a 28×28 digit, centred and scaled like MNIST (the ink found from the image's own background). */
export async function imageFileToDigit(file: Blob): Promise<{ digit: Float32Array; width: number; height: number }> {
  const { data, width, height } = await decodeImage(file);
  const ink = rgbaToInk(data, width, height);
  if (!inkFound(ink)) throw new RangeError('no ink found (a blank or uniform image: nothing to read)');
  return { digit: toMnistDigit(ink, width, height), width, height };
}

/** Any image file → the input a model takes (core's imageToModelInput): a digit for digit models, colour planes [3,H,W] for colour ones. */
export async function imageFileToInput(file: Blob, inputShape: readonly number[]): Promise<{ input: Float32Array; width: number; height: number }> {
  const { data, width, height } = await decodeImage(file);
  return { input: imageToModelInput(data, width, height, inputShape), width, height };
}
