// A half batch the helper thread has not begun is taken back by the trainer and computed on its own thread
// (core/parallel/halfBatch.ts CLAIM): the weights are the same bits as one thread's. A helper thread that never runs
// (a parked one, taken to the extreme) makes every step take its half back.
import { describe, it, expect } from 'vitest';
import { HalfBatchHelper, type HelperThread } from '../../core/parallel/halfBatch.js';
import { Sequential, createPreset, fit, seeded, type Dataset, type FitOptions } from '../../core/index.js';
import { LocalShardRunner, type Shard, type ShardRunner } from '../../core/nn/shards.js';

function randomDigits(n: number, seed: number): Dataset {
  const random = seeded(seed);
  const labels = Int32Array.from({ length: n }, () => random.int(10));
  const inputs = Float32Array.from({ length: n * 784 }, () => random.next());
  return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
}

const bits = (model: Sequential) => model.params().map((p) => Buffer.from(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength).toString('hex'));

describe('taking back a half batch', () => {
  it.each(['cnn', 'mlp'] as const)('%s: the trainer computes the half a parked helper never began; the same weights as one thread', (name) => {
    const data = randomDigits(90, 3);
    const options: FitOptions = { epochs: 2, batchSize: 16, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 5,
      augment: { shift: 1 } };
    const one = createPreset(name, { seed: 2 }), two = createPreset(name, { seed: 2 });
    const a = fit(one, data, options);
    let posted = 0;
    const parked: HelperThread = { postMessage: () => { posted++; }, terminate: () => {} };
    const helper = new HalfBatchHelper(parked, two, 8);
    try {
      const b = fit(two, data, { ...options, helper });
      expect(b.history).toEqual(a.history);
    } finally { helper.close(); }
    expect(posted).toBe(1); // only the set-up message: no thread ever answered
    expect(bits(two)).toEqual(bits(one));
  });

  it('the trainer gathers the runner\'s half straight into the runner\'s input buffer (ShardRunner.inputBuffer); the same weights', () => {
    const data = randomDigits(70, 4);
    const options: FitOptions = { epochs: 1, batchSize: 16, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 2,
      augment: { shift: 1 } };
    const one = createPreset('cnn', { seed: 3 }), two = createPreset('cnn', { seed: 3 });
    const a = fit(one, data, options);
    const buffer = new Float32Array(8 * 784), local = new LocalShardRunner(two, 8), seen: string[] = [];
    const runner: ShardRunner = {
      fingerprint: local.fingerprint, maxCount: 8,
      inputBuffer: (count) => { seen.push(`buffer ${count}`); return buffer; },
      start: (shard: Shard) => {
        // a view of the buffer from its start, already holding the half's raw samples (the runner warps them itself)
        seen.push(shard.inputs.buffer === buffer.buffer && shard.inputs.byteOffset === 0 ? 'in place' : 'elsewhere');
        local.start(shard);
      },
      finish: () => local.finish(),
      close: () => local.close(),
    };
    const b = fit(two, data, { ...options, helper: runner });
    expect(b.history).toEqual(a.history);
    expect(bits(two)).toEqual(bits(one));
    expect(seen[0]).toBe('buffer 8');
    // 70 samples in batches of 16: four halves of 8 and the last batch's half of 3, every one gathered in place
    expect(seen.slice(1)).toEqual(['in place', 'in place', 'in place', 'in place', 'in place']);
  });
});

