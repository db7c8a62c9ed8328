// bench/profile.ts: a workload to profile with `node --cpu-prof --import tsx bench/profile.ts mlp-train|mlp-infer|cnn-train`.
// Prints samples/s; the profile (a .cpuprofile file) shows where the time goes.
import { loadDigits } from '../core/node.js';
import { createPreset, fit, fromData, type PresetName } from '../core/index.js';

const workload = process.argv[2] ?? 'mlp-train', [name, kind] = workload.split('-') as [PresetName, string];
const { train, test } = loadDigits();
const model = createPreset(name, { seed: 1 });
const started = performance.now();
let samples = 0;
if (kind === 'train') {
  for (let round = 0; round < (kind === "train" ? 8 : 0); round++) {
    fit(model, train, { epochs: 1, batchSize: 32, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1 });
    samples += train.labels.length;
  }
} else {
  const x = fromData(test.inputs, [test.labels.length, 1, 28, 28]);
  for (let round = 0; round < 300; round++) { model.predict(x); samples += test.labels.length; }
}
console.log(`${workload}: ${Math.round(samples / ((performance.now() - started) / 1000))} samples/s`);
