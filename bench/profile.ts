// bench/profile.ts: where one workload's time goes, on one thread.
//   node --import tsx bench/profile.ts WORKLOAD [samples]     WORKLOAD: PRESET-train or PRESET-infer (mlp-train, cnn-train,
//   lab-cnn-train, lab-cifar-cnn-train, mlp-infer, …); samples: training samples (default 8 × the 8,000 digits for mlp and
//   cnn, else 1,600; random data of the preset's shape where it is not 28×28×1) or inference rounds (over the 2,000 test
//   digits, or a batch of 256).
// Prints samples/s and the functions with the most self time (V8's sampling profiler through node:inspector, started
// after a warm-up pass); `node --cpu-prof` on the same command writes the whole profile for a viewer.
import { Session } from 'node:inspector';
import { loadDigits } from '../core/node.js';
import { createPreset, fit, fromData, presets, sizeOf, wasmFlavor, type Dataset, type PresetName } from '../core/index.js';
import { wasmBase64, wasmRelaxedBase64 } from '../core/kernels/wasmBinary.js';
import { randomSamples } from './timing.js';

const workload = process.argv[2] ?? 'mlp-train';
const cut = workload.lastIndexOf('-'), name = workload.slice(0, cut) as PresetName, kind = workload.slice(cut + 1);
if (!(name in presets) || (kind !== 'train' && kind !== 'infer')) {
  throw new Error(`bench/profile.ts: the workload must be PRESET-train or PRESET-infer with a preset of ${Object.keys(presets).join(', ')}; got ${JSON.stringify(workload)}`);
}
const shape = presets[name].inputShape, digits = shape.join('×') === '1×28×28';
const { train, test } = loadDigits();
const data = (count: number): Dataset => (digits ? train : randomSamples(shape, count));
const model = createPreset(name, { seed: 1 });
const small = name === 'mlp' || name === 'cnn';
const requested = Number(process.argv[3] ?? (kind === 'train' ? (small ? 8 * train.labels.length : 1600) : (small ? 300 : 20)));
// the data made before the profile starts (random data of the preset's shape where it is not 28×28×1)
const trainSet = data(kind === 'train' ? Math.min(requested, digits ? train.labels.length : requested) : 256);

function run(amount: number): number {
  let samples = 0;
  if (kind === 'train') {
    // one fit call (the trainer checks its data once per call, as in a real run), whole epochs of the data
    const n = Math.min(amount, trainSet.labels.length), epochs = Math.max(1, Math.round(amount / n));
    const part: Dataset = { ...trainSet, inputs: trainSet.inputs.subarray(0, n * sizeOf(shape)), labels: trainSet.labels.subarray(0, n) };
    fit(model, part, { epochs, batchSize: 32, optimizer: { type: 'momentum', learningRate: 0.01, momentum: 0.9 }, seed: 1 });
    samples = n * epochs;
  } else {
    const x = digits ? fromData(test.inputs, [test.labels.length, ...shape]) : fromData(trainSet.inputs.subarray(0, 256 * sizeOf(shape)), [256, ...shape]);
    for (let round = 0; round < amount; round++) { model.predict(x); samples += x.shape[0]; }
  }
  return samples;
}

const session = new Session();
session.connect();
const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) =>
  session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));

/** The kernels' export names by function index (the profile names WebAssembly functions wasm-function[index]). */
function wasmNames(): Map<number, string> {
  const bytes = Buffer.from(wasmFlavor() === 'relaxed' ? wasmRelaxedBase64 : wasmBase64, 'base64'), names = new Map<number, string>();
  let at = 8;
  const leb = () => { let value = 0, shift = 0, byte; do { byte = bytes[at++]; value |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80); return value >>> 0; };
  const name = () => { const length = leb(), text = bytes.subarray(at, at + length).toString('utf8'); at += length; return text; };
  while (at < bytes.length) {
    const id = bytes[at++], size = leb(), end = at + size;
    if (id === 2) for (let i = leb(); i > 0; i--) { name(); name(); const kind = bytes[at++]; if (kind === 0) leb(); else if (kind === 1) { at++; const f = leb(); leb(); if (f & 1) leb(); } else if (kind === 2) { const f = leb(); leb(); if (f & 1) leb(); } else at += 2; }
    if (id === 7) for (let i = leb(); i > 0; i--) { const text = name(), kind = bytes[at++], index = leb(); if (kind === 0) names.set(index, text); }
    at = end;
  }
  return names;
}

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
async function main(): Promise<void> {
  run(kind === 'train' ? 320 : 2); // warm-up: the kernels compiled and the buffers sized before the profile starts
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  const started = performance.now();
  const samples = run(requested);
  const seconds = (performance.now() - started) / 1000;
  const { profile } = await post<{ profile: { nodes: Node[] } }>('Profiler.stop');
  session.disconnect();
  const names = wasmNames(), self = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url } = node.callFrame;
    const file = url.replace(/^.*\/(core|bench|node_modules)\//, '$1/'), index = /^wasm-function\[(\d+)\]$/.exec(functionName);
    const key = url.startsWith('wasm://') || index ? (index && names.get(Number(index[1])) ? `${names.get(Number(index[1]))} (WebAssembly)` : `${functionName} (WebAssembly, not exported)`) : `${functionName || '(anonymous)'}${file ? ` ${file}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + hits);
    total += hits;
  }
  console.log(`${workload}: ${Math.round(samples / seconds).toLocaleString('en')} samples/s on one thread (${samples} samples, ${seconds.toFixed(1)} s); self time:`);
  for (const [key, hits] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${((100 * hits) / total).toFixed(1).padStart(5)} %  ${key}`);
}

main().catch((error) => { console.error(`bench/profile.ts: ${error.message}`); process.exitCode = 1; });
