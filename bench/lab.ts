// bench/lab.ts: the course lab's bigger networks (lab-cnn with and without dropout on 28×28×1, lab-cifar-cnn on 32×32×3) on random data of
// their shapes: training samples/s (batch 32, SGD lr 0.01 momentum 0.9) and inference samples/s (batch 256), for
// convlab on 1 and 2 threads, TF.js's wasm backend with the custom conv gradient (the best a TF.js user can do; the
// plain wasm backend cannot train a CNN) and PyTorch on the CPU where `import torch` works (bench/torch_peer.py).
// Every library builds the network from the same layer list (presets.ts), so the work per sample is the same.
import { createRequire } from 'node:module';
import { startHalfBatchHelper } from '../core/node.js';
import { createPreset, fromData, presets, seeded, type Dataset, type HalfBatchHelper, type LayerConfig, type PresetName } from '../core/index.js';
import { runTorch, torchPython, TORCH_INSTALL } from './torch.js';
import { show, ratio } from './format.js';
import { fastestSeconds, randomSamples, trainRate } from './timing.js';

const require = createRequire(import.meta.url);
export const labNetworks = ['lab-cnn', 'lab-cnn-dropout', 'lab-cifar-cnn'] as const;
export type LabFigures = Record<string, Record<string, number | string>>; // network-workload → library → figure

const BATCH = 32, INFER_BATCH = 256, WARMUP = 3, INFER_CALLS = 3;

/** Samples/s of the fastest of INFER_CALLS calls after one warm-up call (bench/timing.ts). */
function inferRate(run: () => void): number {
  return INFER_BATCH / fastestSeconds(run, INFER_CALLS, 1);
}

const randomData = (name: PresetName, count: number): Dataset => randomSamples(presets[name].inputShape, count);

/** Multiply-adds ×2 of one forward pass per sample (convolutions and dense layers), for the GFLOP/s column. */
export function forwardFlops(name: PresetName): number {
  const model = createPreset(name);
  let flops = 0;
  model.layers.forEach((layer) => {
    const config = layer.config;
    if (config.type === 'conv') { const [K, Ho, Wo] = layer.outputShape, C = layer.inputShape[0], k = Number(config.kernelSize); flops += 2 * K * Ho * Wo * C * k * k; }
    if (config.type === 'dense') flops += 2 * layer.inputShape.reduce((a, b) => a * b, 1) * config.units;
  });
  return flops;
}

async function convlab(name: PresetName, threads: 1 | 2, timed: number): Promise<{ train: number; infer: number }> {
  const model = createPreset(name, { seed: 1 });
  const data = randomData(name, (WARMUP + timed) * BATCH);
  let helper: HalfBatchHelper | undefined;
  try {
    if (threads === 2) helper = await startHalfBatchHelper(model, BATCH);
    const train = trainRate(model, data, { warmup: WARMUP, batchSize: BATCH, helper });
    helper?.close();
    if (threads === 2) helper = await startHalfBatchHelper(model, INFER_BATCH);
    const x = fromData(data.inputs.subarray(0, INFER_BATCH * data.inputs.length / data.labels.length), [INFER_BATCH, ...presets[name].inputShape]);
    return { train, infer: inferRate(() => model.predict(x, { helper })) };
  } finally { helper?.close(); }
}

/** TF.js wasm with conv2d's kernel gradient through Conv3DBackpropFilterV2 on a depth-1 view (as in run.ts). */
async function tfjsWasmGrad(name: PresetName, timed: number): Promise<{ train: number; infer: number }> {
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-core/dist/register_all_gradients'); // tfjs-layers loads these; without it Reshape has no gradient
  require('@tensorflow/tfjs-backend-wasm');
  await tf.setBackend('wasm');
  await tf.ready();
  const conv = (pad: 'valid' | 'same') => tf.customGrad((x: any, w: any, save: any) => {
    save([x, w]);
    return {
      value: tf.conv2d(x, w, 1, pad),
      gradFunc: (dy: any, [xs, ws]: any[]) => {
        const dx = tf.conv2dTranspose(dy, ws, xs.shape, 1, pad);
        const dw = tf.engine().runKernel('Conv3DBackpropFilterV2', { x: tf.expandDims(xs, 1), dy: tf.expandDims(dy, 1) },
          { strides: [1, 1, 1], pad, filterShape: [1, ...ws.shape] });
        return [dx, tf.reshape(dw, ws.shape)];
      },
    };
  });
  const [C, H, W] = presets[name].inputShape, random = seeded(1);
  const variables: any[] = [];
  const glorot = (shape: number[], fanIn: number, fanOut: number) => {
    const v = tf.variable(tf.tensor(Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => random.uniform(-1, 1) * Math.sqrt(6 / (fanIn + fanOut))), shape));
    variables.push(v);
    return v;
  };
  // the preset's layers, channels-last
  type Step = (x: any, training: boolean) => any;
  const steps: Step[] = [];
  let shape = [H, W, C];
  for (const config of presets[name].layers as LayerConfig[]) {
    if (config.type === 'conv') {
      const k = Number(config.kernelSize), pad = config.padding === 'same' ? 'same' : 'valid', f = conv(pad);
      const w = glorot([k, k, shape[2], config.filters], k * k * shape[2], k * k * config.filters), b = tf.variable(tf.zeros([config.filters]));
      variables.push(b);
      steps.push((x) => tf.add(f(x, w), b));
      shape = pad === 'same' ? [shape[0], shape[1], config.filters] : [shape[0] - k + 1, shape[1] - k + 1, config.filters];
    } else if (config.type === 'relu') steps.push((x) => tf.relu(x));
    else if (config.type === 'maxPool') { steps.push((x) => tf.maxPool(x, 2, 2, 'valid')); shape = [Math.floor(shape[0] / 2), Math.floor(shape[1] / 2), shape[2]]; }
    else if (config.type === 'dropout') { const rate = config.rate; steps.push((x, training) => (training ? tf.dropout(x, rate) : x)); }
    else if (config.type === 'flatten') { const size = shape.reduce((a, b) => a * b); steps.push((x) => tf.reshape(x, [-1, size])); shape = [size]; }
    else if (config.type === 'dense') {
      const w = glorot([shape[0], config.units], shape[0], config.units), b = tf.variable(tf.zeros([config.units]));
      variables.push(b);
      steps.push((x) => tf.add(tf.matMul(x, w), b));
      shape = [config.units];
    }
    // softmax: fused into the loss (training) and left out of inference, as convlab's trainer does
  }
  const forward = (x: any, training: boolean) => steps.reduce((h, step) => step(h, training), x);
  const optimizer = tf.train.momentum(0.01, 0.9);
  const data = randomData(name, (WARMUP + timed) * BATCH), size = C * H * W;
  // random data: the layout does not matter for speed, so the [N,C,H,W] values are read as [N,H,W,C]
  const batches = Array.from({ length: WARMUP + timed }, (_, b) => ({
    x: tf.tensor4d(data.inputs.subarray(b * BATCH * size, (b + 1) * BATCH * size), [BATCH, H, W, C]),
    y: tf.oneHot(tf.tensor1d(Array.from(data.labels.subarray(b * BATCH, (b + 1) * BATCH)), 'int32'), 10),
  }));
  const step = (x: any, y: any) => { const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x, true)), true, variables); cost.dataSync(); cost.dispose(); };
  for (let b = 0; b < WARMUP; b++) step(batches[b].x, batches[b].y);
  const started = performance.now();
  for (let b = WARMUP; b < WARMUP + timed; b++) step(batches[b].x, batches[b].y);
  const train = (timed * BATCH) / ((performance.now() - started) / 1000);
  const x = tf.tensor4d(data.inputs.subarray(0, INFER_BATCH * size), [INFER_BATCH, H, W, C]);
  const infer = inferRate(() => tf.tidy(() => forward(x, false).dataSync()));
  batches.forEach((b) => { b.x.dispose(); b.y.dispose(); });
  x.dispose();
  variables.forEach((v) => v.dispose());
  return { train, infer };
}

function pytorch(name: PresetName, timed: number, threads: number): { train: number; infer: number } | string {
  const result = runTorch([{ id: name, kind: 'net', inputShape: presets[name].inputShape, layers: presets[name].layers, batch: BATCH,
    inferBatch: INFER_BATCH, warmup: WARMUP, timed, inferCalls: INFER_CALLS }], threads);
  return typeof result === 'string' ? result : result[name] as { train: number; infer: number };
}

/** Figures for both lab networks; `log` reports progress. */
export async function labFigures(quick: boolean, log: (line: string) => void): Promise<LabFigures> {
  const timed = quick ? 10 : 40;
  const figures: LabFigures = {};
  const python = torchPython();
  if (!python) log(`  ${TORCH_INSTALL}; left out`);
  for (const name of labNetworks) {
    const train: Record<string, number | string> = {}, infer: Record<string, number | string> = {};
    for (const threads of [1, 2] as const) {
      const result = await convlab(name, threads, timed);
      train[`convlab ${threads} thread${threads > 1 ? 's' : ''}`] = result.train; infer[`convlab ${threads} thread${threads > 1 ? 's' : ''}`] = result.infer;
    }
    try {
      const result = await tfjsWasmGrad(name, quick ? 5 : 20);
      train['tfjs-wasm+grad'] = result.train; infer['tfjs-wasm+grad'] = result.infer;
    } catch (error) { train['tfjs-wasm+grad'] = infer['tfjs-wasm+grad'] = `failed: ${(error as Error).message.slice(0, 60)}`; }
    if (python) {
      for (const threads of [1, 2]) {
        const result = pytorch(name, timed, threads), key = `PyTorch ${threads} thread${threads > 1 ? 's' : ''}`;
        if (typeof result === 'string') train[key] = infer[key] = result;
        else { train[key] = result.train; infer[key] = result.infer; }
      }
    }
    figures[`${name}-train`] = train; figures[`${name}-infer`] = infer;
    log(`  ${name} done`);
  }
  return figures;
}

/** The lab table: one row per network and workload, a column per library, convlab's best against each peer. */
export function labTable(figures: LabFigures): string[] {
  const libraries = [...new Set(Object.values(figures).flatMap((row) => Object.keys(row)))];
  const lines = [['workload (samples/s)', 'MFLOP/sample fwd', ...libraries].join(' | ')];
  for (const [key, row] of Object.entries(figures)) {
    const best = Math.max(...[row['convlab 1 thread'], row['convlab 2 threads']].filter((v): v is number => typeof v === 'number'));
    const name = key.replace(/-(train|infer)$/, '') as PresetName;
    lines.push([key, (forwardFlops(name) / 1e6).toFixed(1), ...libraries.map((library) => {
      const v = row[library];
      return !library.startsWith('convlab') && typeof v === 'number' ? `${show(v)} (convlab ${ratio(best / v)})` : show(v);
    })].join(' | '));
  }
  return lines;
}
