// bench/convback.ts: the convolution backward kernels alone (one thread, batch 32), GFLOP/s of the kernel gradient
// (convBackward without an input gradient) and of the input gradient (convBackwardInput) on the cnn's and the lab CIFAR
// CNN's shapes, for before/after comparisons of wasm/kernels.ts: every build given is loaded side by side in this one
// process (each its own instance and memory, the same operands) and timed in interleaved rounds; the outputs are compared
// with the first build's, bit for bit.
//   node --import tsx bench/convback.ts [rounds] [BUILD.ts …]     BUILD.ts: a copy of core/kernels/wasmBinary.ts (the
//   default: the current one); `--only=TEXT` the shapes whose name has TEXT; `--relaxed` times the relaxed-SIMD builds (Node 20: node --experimental-wasm-relaxed-simd).
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { seeded } from '../core/index.js';

const args = process.argv.slice(2), relaxed = args.includes('--relaxed');
const only = args.find((a) => a.startsWith('--only='))?.slice(7);
const rest = args.filter((a) => a !== '--relaxed' && !a.startsWith('--only='));
const rounds = Number(rest[0] ?? 3), files = rest.length > 1 ? rest.slice(1) : ['core/kernels/wasmBinary.ts'];

interface Shape { name: string; N: number; C: number; H: number; W: number; K: number; k: number; pad: number; dx: boolean }
const shapes: Shape[] = [
  { name: 'cnn conv1 28×28×1 → 24×24×8, 5×5', N: 32, C: 1, H: 28, W: 28, K: 8, k: 5, pad: 0, dx: false },
  { name: 'cnn conv2 12×12×8 → 8×8×16, 5×5', N: 32, C: 8, H: 12, W: 12, K: 16, k: 5, pad: 0, dx: true },
  { name: 'lab CNN conv2 26×26×32 → 24×24×64, 3×3', N: 32, C: 32, H: 26, W: 26, K: 64, k: 3, pad: 0, dx: true },
  { name: 'CIFAR conv1 32×32×3 → 32×32×32 same', N: 32, C: 3, H: 32, W: 32, K: 32, k: 3, pad: 1, dx: false },
  { name: 'CIFAR conv2 32×32×32 → 30×30×32', N: 32, C: 32, H: 32, W: 32, K: 32, k: 3, pad: 0, dx: true },
  { name: 'CIFAR conv3 15×15×32 → 15×15×32 same', N: 32, C: 32, H: 15, W: 15, K: 32, k: 3, pad: 1, dx: true },
  { name: 'CIFAR conv4 15×15×32 → 13×13×32', N: 32, C: 32, H: 15, W: 15, K: 32, k: 3, pad: 0, dx: true },
];

type Fn = (...args: number[]) => number;
interface Build { name: string; exports: Record<string, Fn> & { memory: WebAssembly.Memory } }
async function load(file: string): Promise<Build> {
  const module = await import(pathToFileURL(resolve(file)).href) as { wasmBase64: string; wasmRelaxedBase64: string };
  const bytes = Buffer.from(relaxed ? module.wasmRelaxedBase64 : module.wasmBase64, 'base64');
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {});
  return { name: file, exports: instance.exports as Build['exports'] };
}

function geometry(s: Shape) {
  const Ho = s.H + 2 * s.pad - s.k + 1, Wo = s.W + 2 * s.pad - s.k + 1;
  return { Ho, Wo, P: Ho * Wo, R: s.C * s.k * s.k, args: [s.N, s.C, s.H, s.W, s.K, s.k, s.k, 1, 1, s.pad, s.pad, Ho, Wo] };
}

/** The operands placed in a build's memory (the same values in every build); returns the call closures and the outputs. */
function prepare(build: Build, s: Shape) {
  const { P, R, args } = geometry(s), e = build.exports;
  const random = seeded(7), fill = (n: number) => Float32Array.from({ length: n }, () => random.uniform(-1, 1));
  const x = fill(s.N * s.C * s.H * s.W), w = fill(s.K * R), dOut = fill(s.N * s.K * P);
  const scratch = e.convBackwardScratch(...args);
  const sizes = [x.length, w.length, dOut.length, s.K * R, s.K, x.length, R * P, scratch, 8 * Math.max(s.K, R)];
  const total = sizes.reduce((a, b) => a + b + 16, 0) * 4;
  const base = e.memory.buffer.byteLength;
  e.memory.grow(Math.ceil(total / 65536) + 1);
  let at = base;
  const take = (n: number) => { const p = at; at += (n + 16) * 4; return p; };
  const [px, pw, pd, pk, pb, pi, col, dcol, pack] = sizes.map(take);
  const f32 = (p: number, n: number) => new Float32Array(e.memory.buffer, p, n);
  f32(px, x.length).set(x); f32(pw, w.length).set(w); f32(pd, dOut.length).set(dOut);
  return {
    kernel: () => e.convBackward(0, pk, pb, px, pw, pd, col, dcol, pack, ...args),
    input: () => e.convBackwardInput(pi, pw, pd, dcol, pack, ...args),
    reset: () => { f32(pk, s.K * R).fill(0); f32(pb, s.K).fill(0); f32(pi, x.length).fill(0); },
    dKernels: () => f32(pk, s.K * R).slice(), dInput: () => f32(pi, x.length).slice(),
  };
}

function time(call: () => void, flops: number): number {
  const times: number[] = [];
  let total = 0;
  for (let r = 0; r < 200 && (r < 5 || total < 400); r++) {
    const t = performance.now();
    call();
    const dt = performance.now() - t;
    times.push(dt); total += dt;
  }
  times.sort((a, b) => a - b);
  return flops / (times[Math.floor(times.length / 2)] / 1000) / 1e9;
}

const builds = await Promise.all(files.map(load));
console.log(`convBackward, one thread, ${relaxed ? 'relaxed' : 'strict'} builds: ${files.join(' | ')}; median call, GFLOP/s per round`);
for (const s of shapes.filter((s) => !only || s.name.includes(only))) {
  const { P, R } = geometry(s), flops = 2 * s.N * s.K * R * P;
  const runs = builds.map((b) => prepare(b, s));
  const kernel: number[][] = builds.map(() => []), input: number[][] = builds.map(() => []);
  for (let round = 0; round < rounds; round++) {
    runs.forEach((r, b) => { kernel[b].push(time(r.kernel, flops)); if (s.dx) input[b].push(time(r.input, flops)); });
  }
  // the outputs of one call from zero, compared with the first build's
  const outs = runs.map((r) => { r.reset(); r.kernel(); if (s.dx) r.input(); return [r.dKernels(), r.dInput()]; });
  const same = outs.map(([k, i]) => k.every((v, j) => Object.is(v, outs[0][0][j])) && i.every((v, j) => Object.is(v, outs[0][1][j])));
  const show = (v: number[]) => v.map((g) => g.toFixed(1)).join(' ');
  console.log(`${s.name}`);
  builds.forEach((b, i) => console.log(`  ${i}: kernel gradient ${show(kernel[i])}${s.dx ? `  input gradient ${show(input[i])}` : ''}${i ? (same[i] ? '  same bits' : '  DIFFERENT bits') : ''}`));
}
