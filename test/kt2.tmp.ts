import { startKernelThreads, loadDigits } from '../core/node.js';
import { createPreset, fit, fromData } from '../core/index.js';
const { train, test } = loadDigits();
const sub = { ...train, inputs: train.inputs.subarray(0, 6496 * 784), labels: train.labels.subarray(0, 6496) };
const run = (name: 'mlp' | 'cnn') => { const m = createPreset(name, { seed: 1 }); const t = performance.now();
  fit(m, sub, { epochs: 1, batchSize: 32, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1 });
  return Math.round(6496 / ((performance.now() - t) / 1000)); };
const x = fromData(test.inputs, [test.labels.length, 1, 28, 28]);
const infer = (name: 'mlp' | 'cnn') => { const m = createPreset(name, { seed: 1 }); m.predict(x); const t = performance.now(); for (let i = 0; i < 5; i++) m.predict(x); return Math.round(5 * 2000 / ((performance.now() - t) / 1000)); };
for (const name of ['mlp', 'cnn'] as const) {
  const a = run(name), ia = infer(name);
  const k = await startKernelThreads();
  const b = run(name), ib = infer(name);
  console.log(name, 'train one', a, 'kernel threads', b, '; infer one', ia, 'kernel threads', ib, 'calls', k.calls);
  k.close();
}
