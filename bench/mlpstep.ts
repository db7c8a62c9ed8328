// bench/mlpstep.ts: the mlp's step on one thread and with kernel threads (both cores inside each call), for before/after
// comparisons of the dense kernels' thread split.
//   node --import tsx bench/mlpstep.ts [rounds] [train,infer,kernels]
// train: fit over the bench's 6,496 digits (batch 32, momentum), 3 epochs; each batch timed (onBatch), printed as the
//   samples/s of the 75th / 50th / 25th percentile step time (a step slowed by another process on this shared machine
//   moves the median less than the mean), and a hash of the trained weights (the same on one thread and two).
// infer: predict over the 2,000 test digits (chunks of 256), the fastest of 5 calls.
// kernels: the 784 → 100 layer's three split calls at batch 32 on the first 32 digits timed in a loop (median of 2,000), each thread's part
//   alone and both together: the forward product (by units), the weight gradient (by rows), the momentum update.
import { loadDigits, startKernelThreads } from '../core/node.js';
import { createPreset, fit, fromData, type Dataset } from '../core/index.js';
import { residentArray } from '../core/kernels/select.js';
import { wasmModule } from '../core/kernels/wasm.js';

const { train, test } = loadDigits();
const WARMUP = 3, BATCH = 32, rounds = Number(process.argv[2] ?? 3), what = process.argv[3] ?? 'train,infer';
const count = 203 * BATCH;
const subset: Dataset = { ...train, inputs: train.inputs.subarray(0, count * 784), labels: train.labels.subarray(0, count) };

function trainRate(): string {
  const model = createPreset('mlp', { seed: 1 });
  let last = 0;
  const steps: number[] = [];
  fit(model, subset, { epochs: 3, batchSize: BATCH, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1,
    onBatch: (info) => { const now = performance.now(); if (info.batch > WARMUP || info.epoch > 1) steps.push(now - last); last = now; } });
  steps.sort((a, b) => a - b);
  const rate = (f: number) => Math.round(BATCH / (steps[Math.floor(f * (steps.length - 1))] / 1000));
  let hash = 0;
  for (const p of model.params()) for (const v of p.value.data) hash = (hash * 31 + v * 1e6) % 1e9;
  return `${rate(0.75)} / ${rate(0.5)} / ${rate(0.25)} samples/s [weights ${hash.toFixed(0)}]`;
}

function inferRate(): string {
  const model = createPreset('mlp', { seed: 1 });
  const x = fromData(test.inputs, [test.labels.length, 1, 28, 28]);
  for (let i = 0; i < 2; i++) model.predict(x);
  let best = Infinity;
  for (let i = 0; i < 5; i++) { const t = performance.now(); model.predict(x); best = Math.min(best, performance.now() - t); }
  return `${Math.round(test.labels.length / (best / 1000))} samples/s`;
}

const median = (run: () => void, reps = 2000) => {
  for (let i = 0; i < 50; i++) run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) { const t = performance.now(); run(); times.push(performance.now() - t); }
  return (1000 * times.sort((a, b) => a - b)[reps >> 1]).toFixed(1);
};

async function kernelPairs(): Promise<string> {
  const N = 32, I = 784, O = 100, split = 52;
  const x = residentArray(N * I), W = residentArray(O * I), y = residentArray(N * O), dW = residentArray(O * I), d = residentArray(N * O);
  const scratch = wasmModule()!.weightGradientScratch(N, I), v = residentArray(O * I), pack = residentArray(scratch), pack2 = residentArray(scratch);
  const list = residentArray(I / 4 + 8), list2 = residentArray(I / 4 + 8);
  x.set(train.inputs.subarray(0, N * I)); // digits: most pixels are zero
  W.forEach((_, i) => { W[i] = ((i % 7) - 3) / 70; });
  d.forEach((_, i) => { d[i] = ((i % 5) - 2) / 50; });
  const threads = await startKernelThreads();
  try {
    const wasm = wasmModule() as unknown as Record<string, (...args: number[]) => void>;
    type Part = [string, number[]];
    const forward = (at: number, units: number, l: Float32Array): Part => ['gemmNTStrided', [N, units, I, x.byteOffset, W.byteOffset + 4 * at * I, y.byteOffset + 4 * at, 4 * O, 0, 0, l.byteOffset]];
    const gradient = (at: number, rows: number, p: Float32Array): Part => ['weightGradient', [dW.byteOffset + 4 * at * I, x.byteOffset, d.byteOffset + 4 * at, N, I, rows, 4 * O, p.byteOffset, 16]];
    const update = (at: number, rows: number): Part => ['optimizerStep', [1, W.byteOffset + 4 * at * I, dW.byteOffset + 4 * at * I, v.byteOffset + 4 * at * I, 0, rows * I, 1e-6, 0, 0.9, 0.9, 0.999, 1, 1, 1e-8, 1]];
    const lines: string[] = [];
    for (const [name, whole, mine, theirs] of [['forward', forward(0, O, list), forward(0, split, list), forward(split, O - split, list2)],
      ['weight gradient', gradient(0, O, pack), gradient(0, split, pack), gradient(split, O - split, pack2)],
      ['update', update(0, O), update(0, split), update(split, O - split)]] as [string, Part, Part, Part][]) {
      const alone = median(() => wasm[mine[0]](...mine[1]));
      const helper = median(() => { threads.start(theirs[0] as never, theirs[1]); threads.finish(); });
      const both = median(() => { threads.start(theirs[0] as never, theirs[1]); wasm[mine[0]](...mine[1]); threads.finish(); });
      lines.push(`${name}: whole ${median(() => wasm[whole[0]](...whole[1]))} µs, this thread's part alone ${alone}, the helper's alone ${helper}, both together ${both}`);
    }
    return lines.join('\n');
  } finally { threads.close(); }
}

async function main(): Promise<void> {
  for (let r = 0; r < rounds; r++) {
    const out: string[] = [];
    if (what.includes('train')) out.push(`train, 1 thread: ${trainRate()}`);
    if (what.includes('infer')) out.push(`infer, 1 thread: ${inferRate()}`);
    if (what.includes('train') || what.includes('infer')) {
      const threads = await startKernelThreads();
      try {
        if (what.includes('train')) out.push(`train, kernel threads: ${trainRate()}`);
        if (what.includes('infer')) out.push(`infer, kernel threads: ${inferRate()}`);
      } finally { threads.close(); }
    }
    if (what.includes('kernels')) out.push(await kernelPairs());
    console.log(out.join('\n'));
  }
}
main().catch((error) => { console.error(`bench/mlpstep.ts: ${error.message}`); process.exitCode = 1; });
