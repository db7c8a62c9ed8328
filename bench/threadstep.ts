// bench/threadstep.ts: training samples/s on one thread and on two (the half-batch helper), interleaved A B A B in one
// process, for the cnn on the bench's digits and the lab CNN on random samples of its shape (batch 32, SGD lr 0.01
// momentum 0.9, as bench/run.ts and bench/lab.ts). Prints every round and the ratio two ÷ one per round.
//   node --import tsx bench/threadstep.ts [rounds=3] [networks=cnn,lab-cnn] [timed batches: cnn 200, lab 40]
import { startHalfBatchHelper } from '../core/node.js';
import { createPreset, presets, type Dataset, type HalfBatchHelper, type PresetName } from '../core/index.js';
import { randomSamples, trainRate } from './timing.js';

const BATCH = 32, WARMUP = 3;
const rounds = Number(process.argv[2] ?? 3);
const networks = (process.argv[3] ?? 'cnn,lab-cnn').split(',') as PresetName[];

async function rate(name: PresetName, threads: 1 | 2, data: Dataset): Promise<number> {
  const model = createPreset(name, { seed: 1 });
  let helper: HalfBatchHelper | undefined;
  try {
    if (threads === 2) helper = await startHalfBatchHelper(model, BATCH);
    const result = trainRate(model, data, { warmup: WARMUP, batchSize: BATCH, helper });
    if (helper && 'taken' in helper) process.stdout.write(`(taken ${(helper as { taken: number }).taken}, alone ${(helper as { alone: number }).alone}) `);
    return result;
  } finally { helper?.close(); }
}

for (const name of networks) {
  const timed = Number(process.argv[4] ?? (name === 'cnn' ? 200 : 40));
  const data = randomSamples(presets[name].inputShape, (WARMUP + timed) * BATCH);
  for (let r = 0; r < rounds; r++) {
    const one = await rate(name, 1, data), two = await rate(name, 2, data);
    console.log(`${name} round ${r + 1}: one ${Math.round(one)}, two ${Math.round(two)} samples/s, two ÷ one ${(two / one).toFixed(2)}×`);
  }
}
