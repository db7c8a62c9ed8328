// bench/scaling.ts: how convlab's training speed scales with the work per step, in GFLOP/s against the
// WebAssembly SIMD ceiling and against PyTorch: the cnn at batch 1, 32 and 256, the cnn's layers on a 3×32×32
// input, the lab CNN and the lab CIFAR CNN (random data of each shape; SGD lr 0.01 momentum 0.9).
import { startHalfBatchHelper } from '../core/node.js';
import { Sequential, presets, sizeOf, type HalfBatchHelper, type LayerConfig, type PresetName } from '../core/index.js';
import { runTorch } from './torch.js';
import { wasmCeiling, type Ceiling } from './ceiling.js';
import { ratio } from './format.js';
import { randomSamples, trainRate } from './timing.js';

interface Row { label: string; preset: PresetName; inputShape?: number[]; batch: number; samples: number }
const ROWS: Row[] = [
  { label: 'cnn, batch 1', preset: 'cnn', batch: 1, samples: 1500 },
  { label: 'cnn, batch 32', preset: 'cnn', batch: 32, samples: 6400 },
  { label: 'cnn, batch 256', preset: 'cnn', batch: 256, samples: 7680 },
  { label: 'cnn on 3×32×32, batch 32', preset: 'cnn', inputShape: [3, 32, 32], batch: 32, samples: 3200 },
  { label: 'lab CNN, batch 32', preset: 'lab-cnn', batch: 32, samples: 960 },
  { label: 'lab CIFAR CNN, batch 32', preset: 'lab-cifar-cnn', batch: 32, samples: 960 },
];

export type ScalingFigures = { label: string; trainFlops: number; samplesPerSecond: Record<string, number | string> }[];

function build(row: Row): Sequential {
  const preset = presets[row.preset];
  return new Sequential({ inputShape: row.inputShape ?? preset.inputShape, layers: preset.layers, init: preset.init, seed: 1 });
}

/** Multiply-adds ×2 of one training step per sample: the forward pass, the kernel gradients and the input
 *  gradients of every weighted layer but the first (no layer needs the input's gradient). */
export function trainingFlops(model: Sequential): number {
  let forward = 0, first = -1;
  for (const layer of model.layers) {
    const config = layer.config as LayerConfig;
    let f = 0;
    if (config.type === 'conv') { const [K, Ho, Wo] = layer.outputShape, C = layer.inputShape[0], k = Number(config.kernelSize); f = 2 * K * Ho * Wo * C * k * k; }
    if (config.type === 'dense') f = 2 * sizeOf(layer.inputShape) * config.units;
    if (f > 0 && first < 0) first = f;
    forward += f;
  }
  return 3 * forward - Math.max(first, 0);
}

async function convlabRate(row: Row, threads: 1 | 2, quick: boolean): Promise<number | string> {
  if (threads === 2 && row.batch < 2) return 'one sample: nothing to split';
  const model = build(row), warmup = row.batch === 1 ? 20 : 3;
  const timed = Math.max(4, Math.round((quick ? row.samples / 4 : row.samples) / row.batch));
  const data = randomSamples(model.inputShape, (warmup + timed) * row.batch);
  let helper: HalfBatchHelper | undefined;
  try {
    if (threads === 2) helper = await startHalfBatchHelper(model, row.batch);
    return trainRate(model, data, { warmup, batchSize: row.batch, helper });
  } finally { helper?.close(); }
}

export async function scalingFigures(quick: boolean, log: (line: string) => void): Promise<ScalingFigures> {
  const figures: ScalingFigures = [];
  for (const row of ROWS) {
    const model = build(row), rates: Record<string, number | string> = {};
    for (const threads of [1, 2] as const) rates[`convlab ${threads}`] = await convlabRate(row, threads, quick);
    for (const threads of [1, 2]) {
      const timed = Math.max(4, Math.round((quick ? row.samples / 4 : row.samples) / row.batch));
      const result = runTorch([{ id: 'r', kind: 'net', inputShape: model.inputShape, layers: presets[row.preset].layers, batch: row.batch,
        inferBatch: 0, warmup: row.batch === 1 ? 20 : 3, timed }], threads);
      rates[`PyTorch ${threads}`] = typeof result === 'string' ? result : (result.r.train as number);
    }
    figures.push({ label: row.label, trainFlops: trainingFlops(model), samplesPerSecond: rates });
    log(`  scaling: ${row.label} done`);
  }
  return figures;
}

/** The table; `ceiling` (bench/ceiling.ts, measured) scales the "% of the ceiling" columns. */
export function scalingTable(figures: ScalingFigures, measured: Ceiling): string[] {
  const ceiling = (threads: number) => wasmCeiling(measured) * threads;
  const gflops = (v: number | string | undefined, flops: number) => (typeof v === 'number' ? (v * flops) / 1e9 : NaN);
  const show = (g: number) => (Number.isFinite(g) ? g.toFixed(1) : '—');
  const lines = [
    `training GFLOP/s (MFLOP per sample: forward + kernel and input gradients); WebAssembly SIMD ceiling ${ceiling(1).toFixed(0)} GFLOP/s ` +
    `per core as measured above${typeof measured.native === 'string' || measured.native.zmm === null ? '' : `, the core's own (AVX-512) ${measured.native.zmm.toFixed(0)}`}`,
    ['network', 'MFLOP/sample', 'convlab 1 thread (% of the ceiling)', 'convlab 2 threads (% of 2 cores)', 'PyTorch 1 thread', 'PyTorch 2 threads', 'convlab best ÷ PyTorch best'].join(' | '),
  ];
  for (const { label, trainFlops, samplesPerSecond: r } of figures) {
    const c1 = gflops(r['convlab 1'], trainFlops), c2 = gflops(r['convlab 2'], trainFlops);
    const p1 = gflops(r['PyTorch 1'], trainFlops), p2 = gflops(r['PyTorch 2'], trainFlops);
    const best = Math.max(...[c1, c2].filter(Number.isFinite)), peer = Math.max(...[p1, p2].filter(Number.isFinite));
    lines.push([label, (trainFlops / 1e6).toFixed(2),
      `${show(c1)} (${((100 * c1) / ceiling(1)).toFixed(0)} %)`,
      Number.isFinite(c2) ? `${show(c2)} (${((100 * c2) / ceiling(2)).toFixed(0)} %)` : String(r['convlab 2']),
      Number.isFinite(p1) ? show(p1) : String(r['PyTorch 1']), Number.isFinite(p2) ? show(p2) : String(r['PyTorch 2']),
      Number.isFinite(peer) ? ratio(best / peer) : '—'].join(' | '));
  }
  // the curve over the cnn's batch sizes, one thread each (the second thread's gain is the other columns)
  const cnn = figures.filter((f) => /^cnn, batch \d+$/.test(f.label));
  if (cnn.length > 1) {
    const curve = (key: string) => cnn.map((f) => show(gflops(f.samplesPerSecond[key], f.trainFlops))).join(' → ');
    lines.push(`the cnn's curve on one thread over batch ${cnn.map((f) => f.label.replace('cnn, batch ', '')).join(' / ')}: convlab ${curve('convlab 1')} GFLOP/s, ` +
      `PyTorch ${curve('PyTorch 1')}`);
  }
  return lines;
}
