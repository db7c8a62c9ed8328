// core/limits.ts: the resources one model, one sample and one op call may ask for — the one home of these numbers
// and of the checks that compare a request with them. The model planner (nn/model.ts planModel, nn/layers.ts
// planLayer), the model-file importers (io/limits.ts) and the ops themselves (ops/conv3d.ts, before allocating)
// all check here, so a link, a file or a library call meets the same limits with the same message.
import { formatShape, sizeOf } from './tensor.js';

export const MODEL_LIMITS = {
  /** 2²⁴ parameters: 64 MiB of float32 weights; gradients and Adam's two moments make it 256 MiB. */
  parameters: 2 ** 24,
  /** 2²² values (16 MiB) per sample at any layer's input or output: a batch of 32 needs 512 MiB per buffer. */
  valuesPerSample: 2 ** 22,
  /** 2²⁴ values (64 MiB) per sample in a convolution's unrolled input (im2col). */
  unrolledPerSample: 2 ** 24,
  /** Layers in one model. */
  layers: 256,
} as const;

/** Throw a RangeError when one sample of `shape` holds more than MODEL_LIMITS.valuesPerSample values; `where`
 *  names it ("Sequential: layer 3 (conv)", "conv3d: the output"), `context` adds what produced it. */
export function checkSampleValues(where: string, shape: readonly number[], context = ''): void {
  const size = sizeOf(shape as number[]);
  if (size > MODEL_LIMITS.valuesPerSample) {
    throw new RangeError(`${where} holds ${size} values per sample ${formatShape(shape as number[])}, more than the limit of ${MODEL_LIMITS.valuesPerSample}${context}`);
  }
}

/** Throw a RangeError when a convolution's unrolled input (channels·kh·kw rows × Ho·Wo columns) for one sample
 *  holds more than MODEL_LIMITS.unrolledPerSample values. */
export function checkUnrolled(op: string, channels: number, kh: number, kw: number, outHeight: number, outWidth: number, context = ''): void {
  const unrolled = channels * kh * kw * outHeight * outWidth;
  if (unrolled > MODEL_LIMITS.unrolledPerSample) {
    throw new RangeError(`${op}: its unrolled input needs ${unrolled} values per sample, more than the limit of ${MODEL_LIMITS.unrolledPerSample}${context}`);
  }
}

/** Training memory: a batch's buffers (every layer's output and its gradient, each convolution's unrolled input and
 *  its gradient) are estimated per sample from the model's plan, and a batch may ask for at most `batchBytes` of
 *  them (512 MiB: the small cnn's batch of 1024 peaks near 400 MB; the lab CNN's once reached 1.69 GB). `maxBatch`
 *  caps every model (the CLI's --batch). */
export const TRAINING_LIMITS = { batchBytes: 512 * 1024 * 1024, maxBatch: 1024 } as const;

/** Inference (predict, evaluate, a validation pass) runs a data set through the model in chunks of at most `maxChunk`
 *  samples whose buffers, by the same per-sample estimate as training's, take at most `chunkBytes` (64 MiB). Layer
 *  buffers and WebAssembly memory keep their largest size, so a chunk of 256 of the lab CNN (2.4 MB a sample) kept
 *  ~190 MB after the first validation pass; it now takes 27 samples at a time. */
export const INFERENCE_LIMITS = { chunkBytes: 64 * 1024 * 1024, maxChunk: 256 } as const;

/** The inference chunk for a model needing `bytesPerSample` (nn/model.ts trainingBytesPerSample): at least 1, at most
 *  INFERENCE_LIMITS.maxChunk. */
export function inferenceChunkFor(bytesPerSample: number): number {
  return Math.max(1, Math.min(INFERENCE_LIMITS.maxChunk, Math.floor(INFERENCE_LIMITS.chunkBytes / Math.max(1, bytesPerSample))));
}

/** The largest batch whose training buffers fit TRAINING_LIMITS.batchBytes, for a model needing `bytesPerSample`
 *  (nn/model.ts trainingBytesPerSample); at least 1, at most TRAINING_LIMITS.maxBatch. */
export function maxBatchFor(bytesPerSample: number): number {
  return Math.max(1, Math.min(TRAINING_LIMITS.maxBatch, Math.floor(TRAINING_LIMITS.batchBytes / Math.max(1, bytesPerSample))));
}
