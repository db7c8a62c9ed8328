// Data-parallel training: two threads give exactly the weights and history of one (core/parallel).
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fitParallel, startHalfBatchHelper, startKernelThreads } from '../../core/node.js';
import { kernelThreadsRunning } from '../../core/kernels/wasm.js';
import { Sequential, createPreset, fit, seeded, fromData, setKernels, type Dataset, type FitOptions, type LayerConfig } from '../../core/index.js';

function randomDigits(n: number, seed: number): Dataset {
  const random = seeded(seed);
  const labels = Int32Array.from({ length: n }, () => random.int(10));
  // a little structure per class so training moves: a bright bar whose row depends on the label
  const inputs = new Float32Array(n * 784);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < 784; p++) inputs[i * 784 + p] = random.next() * 0.3;
    for (let x = 4; x < 24; x++) inputs[i * 784 + (4 + 2 * labels[i]) * 28 + x] = 1;
  }
  return { inputs, labels, sampleShape: [1, 28, 28], classes: 10 };
}

function weightsOf(model: Sequential): Float32Array[] { return model.params().map((p) => p.value.data.slice()); }

async function oneAndTwo(make: () => Sequential, data: Dataset, options: FitOptions) {
  const single = make(), double = make();
  const a = await fitParallel(single, data, { ...options, threads: 1 });
  const b = await fitParallel(double, data, { ...options, threads: 2 });
  return { single, double, a, b };
}

describe('fitParallel', () => {
  it('trains the cnn to the same bits on one thread and on two (odd last batch, augmentation, validation)', async () => {
    const data = randomDigits(200, 1);
    const { single, double, a, b } = await oneAndTwo(() => createPreset('cnn', { seed: 4 }), data,
      { epochs: 2, batchSize: 24, optimizer: { type: 'adam', learningRate: 0.003 }, seed: 7, validationSplit: 0.2, augment: { shift: 1, rotate: 5 } });
    expect(b.history).toEqual(a.history);
    const wa = weightsOf(single), wb = weightsOf(double);
    wa.forEach((w, i) => expect(Buffer.from(wb[i].buffer).equals(Buffer.from(w.buffer))).toBe(true));
    expect(a.history[1].loss).toBeLessThan(a.history[0].loss);
  });

  it('the same bits whether the trainer writes into the helper\'s own parameters and reads its gradients there (Node) or copies both through buffers (a page)', async () => {
    const data = randomDigits(120, 2), options: FitOptions = { epochs: 1, batchSize: 24, optimizer: { type: 'momentum', learningRate: 0.02, momentum: 0.9 }, seed: 3 };
    const single = createPreset('cnn', { seed: 5 });
    fit(single, data, options);
    for (const shareArrays of [true, false]) {
      const model = createPreset('cnn', { seed: 5 }), helper = await startHalfBatchHelper(model, 24, { shareArrays });
      try {
        expect(helper.sharesArrays).toBe(shareArrays);
        fit(model, data, { ...options, helper });
        // predict through the helper too: its forward pass reads the weights the same way
        const x = fromData(data.inputs.subarray(0, 40 * 784), [40, 1, 28, 28]);
        expect(Array.from(model.predict(x, { helper }).data)).toEqual(Array.from(single.predict(x).data));
      } finally { helper.close(); }
      weightsOf(single).forEach((w, i) => expect(Buffer.from(model.params()[i].value.data.slice().buffer).equals(Buffer.from(w.buffer))).toBe(true));
    }
  });

  it('refuses helper arrays that do not match the model\'s parameters', async () => {
    const model = createPreset('mlp', { seed: 1 }), helper = await startHalfBatchHelper(model, 8, { shareArrays: false });
    try {
      const params = model.params(), shared = (n: number) => new Float32Array(new SharedArrayBuffer(4 * n));
      const good = params.map((p) => shared(p.value.size));
      expect(() => helper.useHelperArrays({ values: good.slice(1), grads: good })).toThrow(/the helper's arrays do not match the model's parameters/);
      expect(() => helper.useHelperArrays({ values: good, grads: params.map((p) => new Float32Array(p.value.size)) })).toThrow(/one shared Float32Array of the same size/);
      expect(() => helper.useHelperArrays({ values: good, grads: params.map((p) => shared(p.value.size + 1)) })).toThrow(/do not match/);
      expect(helper.sharesArrays).toBe(false);
    } finally { helper.close(); }
  });

  it('keeps dropout masks and the mse loss identical across threads', async () => {
    const layers: LayerConfig[] = [{ type: 'flatten' }, { type: 'dense', units: 20 }, { type: 'tanh' }, { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 10 }, { type: 'sigmoid' }];
    const make = () => new Sequential({ inputShape: [1, 28, 28], layers, init: 'glorotUniform', seed: 2 });
    const { single, double, a, b } = await oneAndTwo(make, randomDigits(90, 3),
      { epochs: 2, batchSize: 9, loss: 'mse', optimizer: { type: 'momentum', learningRate: 0.1 }, seed: 5 });
    expect(b.history).toEqual(a.history);
    weightsOf(single).forEach((w, i) => expect(Array.from(weightsOf(double)[i])).toEqual(Array.from(w)));
  });

  it('matches plain fit() (one thread is the same algorithm)', async () => {
    const data = randomDigits(64, 8);
    const x = createPreset('mlp', { seed: 1 }), y = createPreset('mlp', { seed: 1 });
    const options: FitOptions = { epochs: 1, batchSize: 16, seed: 2 };
    fit(x, data, options);
    await fitParallel(y, data, { ...options, threads: 2 });
    weightsOf(x).forEach((w, i) => expect(Array.from(weightsOf(y)[i])).toEqual(Array.from(w)));
  });

  it('one thread computes the second half into spare buffers and gives the layers their own back (the gradients seen before each update match two threads\')', async () => {
    const data = randomDigits(40, 9);
    const options: FitOptions = { epochs: 1, batchSize: 10, seed: 3 };
    const seen = (model: Sequential) => { const all: number[][] = []; return { all, onGradients: () => all.push(model.params().flatMap((p) => Array.from(p.grad.data))) }; };
    const x = createPreset('mlp', { seed: 1 }), y = createPreset('mlp', { seed: 1 });
    const own = x.params().map((p) => p.grad.data);
    const gx = seen(x), gy = seen(y);
    fit(x, data, { ...options, onGradients: gx.onGradients });
    // a half-batch helper made explicitly (fitParallel gives a dense-only model kernel threads instead: the next test)
    const helper = await startHalfBatchHelper(y, 10);
    try { fit(y, data, { ...options, helper, onGradients: gy.onGradients }); } finally { helper.close(); }
    x.params().forEach((p, i) => { expect(p.grad.data).toBe(own[i]); expect(p.grad.data.every((v) => v === 0)).toBe(true); });
    expect(gx.all.length).toBe(4);
    gx.all.forEach((g, b) => expect(Buffer.from(Float32Array.from(gy.all[b]).buffer).equals(Buffer.from(Float32Array.from(g).buffer))).toBe(true));
  });

  it('trains a dense-only model on two threads with kernel threads, whole batches: the bits of one thread; kernel threads already running are kept', async () => {
    const data = randomDigits(200, 10);
    const options: FitOptions = { epochs: 2, batchSize: 32, seed: 4, optimizer: { type: 'momentum', learningRate: 0.05, momentum: 0.9 }, validationSplit: 0.1 };
    const x = createPreset('mlp', { seed: 3 }), y = createPreset('mlp', { seed: 3 }), z = createPreset('mlp', { seed: 3 });
    const a = fit(x, data, options);
    let during = 0, batches = 0;
    const b = await fitParallel(y, data, { ...options, threads: 2, onBatch: () => { batches++; if (kernelThreadsRunning()) during++; } });
    expect(batches).toBeGreaterThan(0);
    expect(during).toBe(batches); // every batch ran with the products split across the two threads
    expect(kernelThreadsRunning()).toBe(false); // and fitParallel ended them
    expect(b.history).toEqual(a.history);
    weightsOf(x).forEach((w, i) => expect(Buffer.from(weightsOf(y)[i].buffer).equals(Buffer.from(w.buffer))).toBe(true));
    const running = await startKernelThreads();
    try {
      const c = await fitParallel(z, data, { ...options, threads: 2 });
      expect(kernelThreadsRunning()).toBe(true); // not the trainer's to close
      expect(c.history).toEqual(a.history);
    } finally { running.close(); }
    weightsOf(x).forEach((w, i) => expect(Buffer.from(weightsOf(z)[i].buffer).equals(Buffer.from(w.buffer))).toBe(true));
  });

  it('rejects a bad thread count and a helper set up for another model', async () => {
    const data = randomDigits(8, 1);
    await expect(fitParallel(createPreset('mlp'), data, { epochs: 1, threads: 3 })).rejects.toThrow(/fitParallel: threads must be 1 or 2, got 3/);
    const helper = await startHalfBatchHelper(createPreset('mlp'), 8);
    try {
      expect(() => fit(createPreset('cnn'), data, { epochs: 1, batchSize: 8, helper })).toThrow(/fit: the helper was set up for another architecture/);
    } finally { helper.close(); }
    const shard = { inputs: data.inputs, labels: data.labels, count: 4, divisor: 8, loss: 'crossEntropy' as const, seeds: null, warp: null };
    expect(() => helper.start(shard)).toThrow(/HalfBatchHelper: start after close/);
    const another = await startHalfBatchHelper(createPreset('mlp'), 8);
    setKernels('js');
    try {
      expect(() => another.start(shard)).toThrow(/the kernels changed to 'js' after the helper was set up with 'wasm'/);
    } finally { setKernels('wasm'); another.close(); }
  });
});

describe('the helper knows its architecture and its thread', () => {
  it('refuses a helper set up for another architecture with the same parameter count (it would compute wrong gradients)', async () => {
    // dense 784→10 then relu, or then sigmoid: the same 7,850 parameters, different gradients
    const make = (activation: 'relu' | 'sigmoid') => new Sequential({ inputShape: [1, 28, 28], seed: 1,
      layers: [{ type: 'flatten' }, { type: 'dense', units: 10 }, { type: activation }] });
    const helper = await startHalfBatchHelper(make('sigmoid'), 8);
    try {
      expect(make('relu').parameterCount).toBe(helper.model.parameterCount);
      expect(() => fit(make('relu'), randomDigits(16, 1), { epochs: 1, batchSize: 8, loss: 'mse', helper })).toThrow(/fit: the helper was set up for another architecture/);
      expect(() => make('relu').predict(fromData(new Float32Array(784 * 4), [4, 1, 28, 28]), { helper })).toThrow(/predict: the helper was set up for another architecture/);
    } finally { helper.close(); }
  });
  it('a helper thread that dies mid-batch fails the trainer with the reason, not a 120 s hang', () => {
    // measured as a process: the script trains with a helper whose thread exits during its first half batch
    const script = new URL('./helperDeath.script.ts', import.meta.url).pathname;
    const result = spawnSync('/usr/bin/time', ['-f', '%e', 'node', '--import', 'tsx', script], { encoding: 'utf8', timeout: 60_000 });
    const lines = result.stderr.trim().split('\n');
    const seconds = Number(lines.pop());
    expect(result.stdout).toMatch(/HalfBatchHelper: the helper thread exited \(code 7\)/);
    expect(result.stdout).toMatch(/waited \d+ ms/);
    const waited = Number(/waited (\d+) ms/.exec(result.stdout)![1]);
    expect(waited).toBeLessThan(1000); // "fail within a second", measured in the child
    expect(seconds).toBeLessThan(30);
  });
});

describe('predict with a helper thread', () => {
  it('gives the same outputs as one thread, for batches that do not split evenly', async () => {
    const model = createPreset('cnn', { seed: 3 });
    const data = randomDigits(300, 2);
    const x = fromData(data.inputs, [300, 1, 28, 28]);
    const helper = await startHalfBatchHelper(model, 256);
    try {
      for (const n of [1, 7, 300]) {
        const part = fromData(data.inputs.subarray(0, n * 784), [n, 1, 28, 28]);
        expect(Array.from(model.predict(part, { helper }).data)).toEqual(Array.from(model.predict(part).data));
      }
      // a helper set up for small half batches takes what it can
      const small = await startHalfBatchHelper(model, 8);
      try { expect(Array.from(model.predict(x, { helper: small }).data)).toEqual(Array.from(model.predict(x).data)); } finally { small.close(); }
    } finally { helper.close(); }
    expect(() => model.predict(x, { helper })).toThrow(/HalfBatchHelper: start after close/);
  });
});
