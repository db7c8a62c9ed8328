// Inference (evaluate, predict, a validation pass) runs in chunks bounded in bytes, not a fixed 256 samples: layer
// buffers and WebAssembly memory keep their largest size, so the chunk decides what a run keeps allocated. A chunk of
// 256 of the lab CNN kept ~190 MB after the first validation pass.
import { describe, it, expect } from 'vitest';
import { createPreset, evaluate, fit, fromData, seeded, trainingBytesPerSample, INFERENCE_LIMITS, inferenceChunkFor, type Sequential } from '../../core/index.js';

/** n byte samples of 28×28 with labels 0..9. */
function bytes(n: number, seed = 1) {
  const random = seeded(seed);
  return { bytes: Uint8Array.from({ length: n * 784 }, () => random.int(256)), labels: Int32Array.from({ length: n }, (_, i) => i % 10),
    sampleShape: [1, 28, 28], classes: 10, divisor: 255 };
}

/** The batch sizes of every inference forward pass of `model` while `run` runs (training passes are not counted). */
function inferenceBatches(model: Sequential, run: () => void): number[] {
  // inference runs through inferBatch (predict, evaluate, validation; training through forwardBatch)
  const seen: number[] = [], original = model.inferBatch.bind(model);
  model.inferBatch = (x, batch) => { seen.push(batch); return original(x, batch); };
  try { run(); } finally { model.inferBatch = original; }
  return seen;
}

describe('the inference chunk', () => {
  it('holds at most INFERENCE_LIMITS.chunkBytes of buffers by the training estimate, and at most maxChunk samples', () => {
    const lab = createPreset('lab-cnn'), mlp = createPreset('mlp');
    const perSample = trainingBytesPerSample(lab.inputShape, lab.configs);
    expect(lab.inferenceChunk).toBe(Math.floor(INFERENCE_LIMITS.chunkBytes / perSample));
    expect(lab.inferenceChunk * perSample).toBeLessThanOrEqual(INFERENCE_LIMITS.chunkBytes);
    expect((lab.inferenceChunk + 1) * perSample).toBeGreaterThan(INFERENCE_LIMITS.chunkBytes);
    expect(lab.inferenceChunk).toBe(27); // 2.35 MB a sample
    expect(mlp.inferenceChunk).toBe(INFERENCE_LIMITS.maxChunk);
    expect(inferenceChunkFor(1e12)).toBe(1);
  });

  it('evaluate\'s largest pass does not grow with the data set, and its outputs are the model\'s, sample by sample', () => {
    const model = createPreset('lab-cnn', { seed: 3 });
    const small = inferenceBatches(model, () => evaluate(model, bytes(40)));
    const data = bytes(200, 2);
    let result!: ReturnType<typeof evaluate>;
    const large = inferenceBatches(model, () => { result = evaluate(model, data); });
    expect(Math.max(...small)).toBe(27);
    expect(Math.max(...large)).toBe(27);
    expect(large.reduce((a, b) => a + b, 0)).toBe(200);
    expect(large).toHaveLength(Math.ceil(200 / 27));
    // chunking changes nothing a sample sees: each output is the model's for that sample alone
    for (const i of [0, 26, 27, 199]) {
      const one = model.predict(fromData(Float32Array.from(data.bytes.subarray(i * 784, (i + 1) * 784), (v) => v / 255), [1, 28, 28]));
      const row = Array.from(result.outputs.subarray(i * 10, (i + 1) * 10));
      Array.from(one.data).forEach((v, k) => expect(row[k]).toBeCloseTo(v, 6));
    }
  });

  it('a validation pass inside fit uses the same chunk, however many samples are held out', () => {
    const model = createPreset('lab-cnn', { seed: 4 });
    const batches = inferenceBatches(model, () => fit(model, bytes(150), { epochs: 2, batchSize: 10, validationSplit: 0.6 }));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(2 * 90); // 90 held out, validated after each of 2 epochs
    expect(Math.max(...batches)).toBe(27);
  });
});
