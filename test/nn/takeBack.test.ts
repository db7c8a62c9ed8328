// The trainer and the helper thread claim a batch's chunks through one counter (core/parallel/halfBatch.ts): a chunk
// the helper has not claimed the trainer computes itself, and one the helper claimed but has not finished well past a
// chunk's usual time the trainer takes back; the weights are the same bits as one thread's. A helper thread that never
// runs (a parked one, taken to the extreme) leaves every chunk to the trainer, which revokes each request it never
// began, so no batch runs alone; one that claims a chunk and hangs has it taken, and later batches run on the trainer
// alone while it is busy; a real helper skips a request that was revoked before it began it.
import { describe, it, expect } from 'vitest';
import { Worker } from 'node:worker_threads';
import { spawnWorker, sibling } from '../../core/parallel/spawn.js';
import { HalfBatchHelper, CONTROL_SLOTS, type HelperThread, type HelperInit } from '../../core/parallel/halfBatch.js';
import { Sequential, createPreset, fit, seeded, type Dataset, type FitOptions } from '../../core/index.js';
import { LocalShardRunner, type Shard, type ShardRunner } from '../../core/nn/shards.js';

function randomDigits(n: number, seed: number): Dataset {
  const random = seeded(seed);
  const labels = Int32Array.from({ length: n }, () => random.int(10));
  const inputs = Float32Array.from({ length: n * 784 }, () => random.next());
  return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
}

const bits = (model: Sequential) => model.params().map((p) => Buffer.from(p.value.data.buffer, p.value.data.byteOffset, p.value.data.byteLength).toString('hex'));

describe('claiming and taking back chunks', () => {
  it.each(['cnn', 'mlp'] as const)('%s: the trainer computes the chunks a parked helper never claims; the same weights as one thread', (name) => {
    const data = randomDigits(90, 3);
    const options: FitOptions = { epochs: 2, batchSize: 16, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 5,
      augment: { shift: 1 } };
    const one = createPreset(name, { seed: 2 }), two = createPreset(name, { seed: 2 });
    const a = fit(one, data, options);
    let posted = 0;
    const parked: HelperThread = { postMessage: () => { posted++; }, terminate: () => {} };
    const helper = new HalfBatchHelper(parked, two, 16);
    try {
      const b = fit(two, data, { ...options, helper });
      expect(b.history).toEqual(a.history);
      // 2 epochs of 6 batches: each batch's request, never begun, is revoked at the next one, which is shared, not alone
      expect([helper.revoked, helper.alone, helper.taken]).toEqual([11, 0, 0]);
    } finally { helper.close(); }
    expect(posted).toBe(1); // only the set-up message: no thread ever answered
    expect(bits(two)).toEqual(bits(one));
  });

  it('a chunk the helper claimed and never finished is taken back; later batches run alone while it is busy; the same weights', async () => {
    // the lab CNN: the trainer's first chunk takes milliseconds, time enough for the helper to claim the other
    const data = randomDigits(48, 6);
    const options: FitOptions = { epochs: 1, batchSize: 16, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 4 };
    const one = createPreset('lab-cnn', { seed: 3 }), two = createPreset('lab-cnn', { seed: 3 });
    const a = fit(one, data, options);
    // a helper that answers requests without claiming until it wins a chunk (it watches for requests by spinning, so it
    // usually wins the first), then hangs: it never marks that chunk done, nor the request
    const worker = new Worker(`
      const { parentPort, workerData: slot } = require('node:worker_threads');
      parentPort.once('message', (init) => {
        const c = new Int32Array(init.control);
        for (let seen = 0; ;) {
          while (Atomics.load(c, slot.request) === seen);
          seen = Atomics.load(c, slot.request);
          // begins it as the real helper does (the trainer may have revoked it: then it skips it)
          if (Atomics.compareExchange(c, slot.started, seen - 1, seen) !== seen - 1) continue;
          if (Atomics.add(c, slot.next, 1) < c[slot.chunks]) break;
          Atomics.store(c, slot.done, seen);
        }
        parentPort.postMessage('claimed');
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      });`, { eval: true, workerData: CONTROL_SLOTS });
    const claimed = new Promise((resolve) => worker.once('message', resolve));
    const thread: HelperThread = { postMessage: (init) => worker.postMessage(init as HelperInit), terminate: () => worker.terminate() };
    const helper = new HalfBatchHelper(thread, two, 16);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the worker is up and waiting for the request
    try {
      const b = fit(two, data, { ...options, helper });
      expect(b.history).toEqual(a.history);
      // 3 batches: the one whose chunk it claimed is taken back, every later one runs alone
      expect(helper.taken).toBe(1);
      expect(helper.alone).toBeGreaterThanOrEqual(1);
      expect(helper.alone).toBeLessThanOrEqual(2);
    } finally { helper.close(); }
    expect(await claimed).toBe('claimed');
    expect(bits(two)).toEqual(bits(one));
  });

  it('the helper skips a request the trainer revoked before it began it, and serves the next', async () => {
    const model = createPreset('cnn', { seed: 1 });
    let init: HelperInit | null = null;
    const held: HelperThread = { postMessage: (message) => { init = message as HelperInit; }, terminate: () => {} };
    const helper = new HalfBatchHelper(held, model, 16);
    const c = new Int32Array(init!.control), slot = CONTROL_SLOTS;
    // request 1 of two chunks, revoked (STARTED and DONE set by the trainer, helperIdle) before the helper runs at all
    c[slot.chunks] = 2; c[slot.next] = 0; c[slot.request] = 1; c[slot.started] = 1; c[slot.done] = 1;
    const worker = spawnWorker(sibling('nodeWorker', new URL('../../core/parallel/halfBatch.ts', import.meta.url).href));
    try {
      const ready = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage(init);
      expect(await ready).toMatchObject({ type: 'ready' });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect([c[slot.next], c[slot.done], c[slot.started]]).toEqual([0, 1, 1]); // it claimed no chunk of it
      // request 2 with no chunk left to claim: begun and answered
      c[slot.next] = 2;
      Atomics.store(c, slot.request, 2); Atomics.notify(c, slot.request);
      for (const until = Date.now() + 5000; Atomics.load(c, slot.done) !== 2 && Date.now() < until;) await new Promise((resolve) => setTimeout(resolve, 5));
      expect([c[slot.done], c[slot.started], c[slot.next]]).toEqual([2, 2, 3]);
    } finally { helper.close(); await worker.terminate(); }
  });

  it('the trainer gathers the batch straight into the runner\'s input buffer (ShardRunner.inputBuffer); the same weights', () => {
    const data = randomDigits(70, 4);
    const options: FitOptions = { epochs: 1, batchSize: 16, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 2,
      augment: { shift: 1 } };
    const one = createPreset('cnn', { seed: 3 }), two = createPreset('cnn', { seed: 3 });
    const a = fit(one, data, options);
    const buffer = new Float32Array(16 * 784), local = new LocalShardRunner(two, 16), seen: string[] = [];
    const runner: ShardRunner = {
      fingerprint: local.fingerprint, maxCount: 16,
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
    expect(seen[0]).toBe('buffer 16');
    // 70 samples in batches of 16: four batches of 16 and the last of 6, every one gathered in place
    expect(seen.slice(1)).toEqual(['in place', 'in place', 'in place', 'in place', 'in place']);
  });
});

