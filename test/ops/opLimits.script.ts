// A child process for opLimits.test.ts, measured from outside (/usr/bin/time -v, under prlimit):
//   refuse KERNELS — conv3d with padding 5000 (once ≈7 GB before any message): prints the error, or "allocated".
//   release — one WebAssembly call holding a 64 MB input in its memory (the output, 64 MB too, is copied out in
//             blocks of samples, so the instance holds the input and one block) with the kept memory lowered to
//             32 MiB: prints RSS before, after the
//             call and after a collection, and the bytes the instance keeps, as JSON.
import { conv3d, conv3dBackward, zeros, setKernels } from '../../core/index.js';
import { wasmMemoryBytes, setWasmRetainedBytes } from '../../core/kernels/wasm.js';

const [mode, kernels = 'wasm'] = process.argv.slice(2);
setKernels(kernels as 'wasm' | 'js');
if (mode === 'refuse') {
  const messages: string[] = [];
  for (const call of [() => conv3d(zeros([1, 28, 28]), zeros([8, 1, 5, 5]), { padding: 5000 }),
    () => conv3dBackward(zeros([1, 28, 28]), zeros([8, 1, 5, 5]), zeros([8, 1, 1]), { padding: 5000 })]) {
    try { call(); messages.push('allocated'); } catch (error) { messages.push((error as Error).message); }
  }
  console.log(JSON.stringify(messages));
} else {
  const rss = () => Math.round(process.memoryUsage().rss / 1048576);
  const gc = (globalThis as { gc?: () => void }).gc!;
  setWasmRetainedBytes(32 * 1024 * 1024);
  conv3d(zeros([1, 1, 28, 28]), zeros([1, 1, 3, 3]));
  const small = wasmMemoryBytes();
  gc();
  const before = rss();
  let x: ReturnType<typeof zeros> | null = zeros([4, 1, 2000, 2000]);
  let y: ReturnType<typeof zeros> | null = conv3d(x, zeros([1, 1, 1, 1]));
  const during = rss(), sum = y.data[0];
  x = null; y = null;
  // the output goes at the first collection, the dropped instance's memory at the second or third
  for (let i = 0; i < 5; i++) { gc(); await new Promise((resolve) => setTimeout(resolve, 50)); }
  console.log(JSON.stringify({ small, kept: wasmMemoryBytes(), before, during, after: rss(), sum }));
}
