// bench/flavors.ts: the strict and the relaxed-SIMD build of the kernels side by side, on one thread, in one process
// (run by bench/run.ts as a child process with Node 20's --experimental-wasm-relaxed-simd, so switching builds never
// touches the main bench's arrays). Interleaved strict, relaxed, strict, relaxed; the better of each build's two rounds.
//   node --experimental-wasm-relaxed-simd --import tsx bench/flavors.ts [--quick]    → one JSON line
import { conv3d, conv3dInto, createPreset, fromData, relaxedSimdAvailable, seeded, setWasmFlavor, type Dataset, type WasmFlavor } from '../core/index.js';
import { wasmGemm } from '../core/kernels/wasm.js';
import { trainRate } from './timing.js';

const quick = process.argv.includes('--quick');
export type FlavorFigures = Record<WasmFlavor, { 'gemm-1024': number; 'conv-lab': number; 'cnn-train': number }> | { unavailable: string };

function seconds(run: () => void, calls: number): number {
  run();
  const start = performance.now();
  for (let i = 0; i < calls; i++) run();
  return (performance.now() - start) / 1000 / calls;
}

function round(): { 'gemm-1024': number; 'conv-lab': number; 'cnn-train': number } {
  const random = seeded(5), n = 1024;
  const a = Float32Array.from({ length: n * n }, () => random.uniform(-1, 1)), b = a.slice().reverse(), c = new Float32Array(n * n);
  const gemm = (2 * n ** 3) / seconds(() => wasmGemm('NN', n, n, n, a, 0, b, 0, c, 0, false), quick ? 2 : 5) / 1e9;
  // the lab CNN's second convolution (32 → 64 maps, 3×3, 26×26 → 24×24) on a batch of 32
  const x = fromData(Float32Array.from({ length: 32 * 32 * 26 * 26 }, () => random.uniform(-1, 1)), [32, 32, 26, 26]);
  const w = fromData(Float32Array.from({ length: 64 * 32 * 9 }, () => random.uniform(-1, 1)), [64, 32, 3, 3]);
  const out = conv3d(x, w);
  const conv = (2 * 32 * 64 * 32 * 9 * 24 * 24) / seconds(() => conv3dInto(out, x, w), quick ? 2 : 5) / 1e9;
  // the cnn's training on one thread
  const model = createPreset('cnn', { seed: 1 }), batches = quick ? 30 : 100;
  const data: Dataset = { inputs: Float32Array.from({ length: (batches + 3) * 32 * 784 }, () => random.next()),
    labels: Int32Array.from({ length: (batches + 3) * 32 }, () => random.int(10)), sampleShape: [1, 28, 28], classes: 10 };
  return { 'gemm-1024': gemm, 'conv-lab': conv, 'cnn-train': trainRate(model, data, { warmup: 3 }) };
}

function main(): FlavorFigures {
  if (!relaxedSimdAvailable()) return { unavailable: 'this runtime has no relaxed SIMD' };
  const best: Partial<Record<WasmFlavor, ReturnType<typeof round>>> = {};
  for (const flavor of ['strict', 'relaxed', 'strict', 'relaxed'] as const) {
    setWasmFlavor(flavor);
    const figures = round(), kept = best[flavor];
    best[flavor] = kept ? { 'gemm-1024': Math.max(kept['gemm-1024'], figures['gemm-1024']), 'conv-lab': Math.max(kept['conv-lab'], figures['conv-lab']),
      'cnn-train': Math.max(kept['cnn-train'], figures['cnn-train']) } : figures;
  }
  return best as FlavorFigures;
}

console.log(JSON.stringify(main()));
