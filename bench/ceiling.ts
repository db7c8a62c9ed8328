// bench/ceiling.ts: what this machine's cores allow, measured rather than assumed.
//   clock: a chain of 1-cycle integer operations (add, xor) in WebAssembly, each waiting for the one before, so
//     one operation per cycle; the fastest of many short runs (another process on the core only slows a run down).
//   WebAssembly SIMD (128-bit vectors, 4 float32 lanes): many independent f32x4 multiply+add chains (the strict
//     build's instructions) and relaxed SIMD's fused multiply-add chains, nothing loaded or stored: the most
//     arithmetic a core can do in WebAssembly, in GFLOP/s and FLOP per cycle.
//   native (AVX-512 / AVX2 FMA): bench/ceiling.c compiled with the system's C compiler where there is one (the same
//     probe with 512-, 256- and 128-bit registers); else not measured.
// The bench prints these and scales its "% of the ceiling" columns by them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

export interface Ceiling {
  /** Measured clock under load, GHz. */
  clockGHz: number;
  /** WebAssembly SIMD probes, GFLOP/s on one core: multiply then add (strict) and fused multiply-add (relaxed, null where the runtime lacks it). */
  wasmStrict: number; wasmRelaxed: number | null;
  /** The native probe (bench/ceiling.c), GFLOP/s on one core by register width, or why it did not run. */
  native: { zmm: number | null; ymm: number; xmm: number; xmmMulAdd: number } | string;
  cpu: string;
}

const CHAINS = 12;

/** Unsigned LEB128, as WebAssembly encodes sizes and counts. */
function leb(value: number): number[] {
  const out: number[] = [];
  do { let byte = value & 0x7f; value >>>= 7; if (value !== 0) byte |= 0x80; out.push(byte); } while (value !== 0);
  return out;
}
const vec = (items: number[][]) => [...leb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
const f32 = (v: number) => [0x43, ...new Uint8Array(Float32Array.of(v).buffer)];
const [LOCAL_GET, LOCAL_SET, LOCAL_TEE, I32_CONST, I32_ADD, I32_SUB, I32_XOR, LOOP, BR_IF, END, VOID] = [0x20, 0x21, 0x22, 0x41, 0x6a, 0x6b, 0x73, 0x03, 0x0d, 0x0b, 0x40];
const SPLAT = [0xfd, 0x13], ADD = [0xfd, 0xe4, 0x01], MUL = [0xfd, 0xe6, 0x01], MADD = [0xfd, 0x85, 0x02], LANE0 = [0xfd, 0x1f, 0x00];
const countDown = [LOCAL_GET, 0, I32_CONST, 1, I32_SUB, LOCAL_TEE, 0, BR_IF, 0, END];

/** The probes as a WebAssembly module (encoded here: no toolchain). clock(n, y, z) runs n × 100 dependent 1-cycle
 *  integer operations (x = (x + y) ^ z); strict(n) and relaxed(n) run n × 2 × CHAINS f32x4 multiply-adds on CHAINS
 *  independent accumulators, a ← a·b + c (strict: f32x4.mul then f32x4.add; relaxed: f32x4.relaxed_madd), each
 *  waiting only for its own chain, so the core's pipes, not latency, set the pace. */
function probeModule(relaxed: boolean): Uint8Array<ArrayBuffer> {
  const clock = [...vec([[1, 0x7f]]), LOOP, VOID,
    ...Array.from({ length: 50 }, () => [LOCAL_GET, 3, LOCAL_GET, 1, I32_ADD, LOCAL_GET, 2, I32_XOR, LOCAL_SET, 3]).flat(),
    ...countDown, LOCAL_GET, 3, END];
  const simd = (fma: boolean) => {
    const a = (i: number) => 3 + i; // locals: 0 n, 1 b, 2 c, 3… the accumulators
    const body = [...vec([[CHAINS + 2, 0x7b]]),
      ...f32(0.5), ...SPLAT, LOCAL_SET, 1, ...f32(1), ...SPLAT, LOCAL_SET, 2,
      ...Array.from({ length: CHAINS }, (_, i) => [...f32(1 + i / 16), ...SPLAT, LOCAL_SET, a(i)]).flat(),
      LOOP, VOID,
      ...Array.from({ length: 2 * CHAINS }, (_, s) => {
        const i = a(s % CHAINS);
        return fma ? [LOCAL_GET, i, LOCAL_GET, 1, LOCAL_GET, 2, ...MADD, LOCAL_SET, i] : [LOCAL_GET, i, LOCAL_GET, 1, ...MUL, LOCAL_GET, 2, ...ADD, LOCAL_SET, i];
      }).flat(),
      ...countDown,
      LOCAL_GET, a(0), ...Array.from({ length: CHAINS - 1 }, (_, i) => [LOCAL_GET, a(i + 1), ...ADD]).flat(), ...LANE0, END];
    return body;
  };
  const bodies = [clock, simd(false), ...(relaxed ? [simd(true)] : [])];
  const names = ['clock', 'strict', 'relaxed'].slice(0, bodies.length);
  const text = (name: string) => [...leb(name.length), ...Buffer.from(name)];
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 3, 0x7f, 0x7f, 0x7f, 1, 0x7f], [0x60, 1, 0x7f, 1, 0x7d]])),
    ...section(3, vec(bodies.map((_, f) => [f === 0 ? 0 : 1]))),
    ...section(7, vec(names.map((name, f) => [...text(name), 0x00, f]))),
    ...section(10, vec(bodies.map((body) => [...leb(body.length), ...body])))]);
}

/** The fastest of `runs` timings of run(), in seconds. */
function fastest(run: () => void, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) { const t = performance.now(); run(); best = Math.min(best, performance.now() - t); }
  return best / 1000;
}

function nativeProbe(): Ceiling['native'] {
  const source = fileURLToPath(new URL('./ceiling.c', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'convlab-ceiling-'));
  try {
    const binary = join(dir, 'ceiling');
    const built = spawnSync('cc', ['-O2', '-o', binary, source], { encoding: 'utf8' });
    if (built.error || built.status !== 0) return `not measured (bench/ceiling.c needs a C compiler for x86-64: ${built.error?.message ?? built.stderr.trim().split('\n')[0]})`;
    const ran = spawnSync(binary, [], { encoding: 'utf8', timeout: 30_000 });
    if (ran.status !== 0) return `not measured (bench/ceiling.c failed: ${ran.stderr.trim().split('\n')[0] || ran.signal})`;
    return JSON.parse(ran.stdout) as { zmm: number | null; ymm: number; xmm: number; xmmMulAdd: number };
  } finally { rmSync(dir, { recursive: true, force: true }); }
}

/** Measure the clock and the ceilings (about 2 s). */
export function measureCeiling(): Ceiling {
  // relaxed SIMD: on in Node 22+, behind a flag in Node 20 (set here for the probe only if the runtime refuses it)
  if (!WebAssembly.validate(probeModule(true))) setFlagsFromString('--experimental-wasm-relaxed-simd');
  const relaxed = WebAssembly.validate(probeModule(true));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(probeModule(relaxed)));
  const probe = instance.exports as { clock(n: number, y: number, z: number): number; strict(n: number): number; relaxed?(n: number): number };
  const n = 200_000; // 2·10⁷ cycles, ~6 ms a run
  probe.clock(1000, 3, 5);
  const clockGHz = (n * 100) / fastest(() => probe.clock(n, 3, 5), 60) / 1e9;
  const flopsPerCall = (m: number) => m * 2 * CHAINS * 4 * 2;
  const m = 1_000_000; // 2.4·10⁷ vector operations, ~3 ms a run at 4 per cycle
  probe.strict(100);
  const wasmStrict = flopsPerCall(m) / fastest(() => probe.strict(m), 30) / 1e9;
  let wasmRelaxed: number | null = null;
  if (relaxed && probe.relaxed) { probe.relaxed(100); wasmRelaxed = flopsPerCall(m) / fastest(() => probe.relaxed!(m), 30) / 1e9; }
  return { clockGHz, wasmStrict, wasmRelaxed, native: nativeProbe(), cpu: cpus()[0]?.model ?? 'unknown' };
}

/** The ceiling of WebAssembly SIMD on one core, GFLOP/s: the faster of the two probes. */
export function wasmCeiling(c: Ceiling): number { return Math.max(c.wasmStrict, c.wasmRelaxed ?? 0); }

/** What the bench prints about the ceilings; `torchGemm1` is PyTorch's one-thread sgemm 1024³ in GFLOP/s if measured. */
export function ceilingLines(c: Ceiling, torchGemm1?: number): string[] {
  const perCycle = (g: number) => (g / c.clockGHz).toFixed(1);
  const lines = [
    `ceiling (measured, one core; ${c.cpu}): clock ${c.clockGHz.toFixed(2)} GHz (a chain of dependent 1-cycle integer operations, fastest of 60 runs)`,
    `  WebAssembly SIMD (128-bit, 4 lanes): multiply + add ${c.wasmStrict.toFixed(1)} GFLOP/s = ${perCycle(c.wasmStrict)} FLOP/cycle; ` +
    (c.wasmRelaxed === null ? 'relaxed SIMD not available in this runtime' : `relaxed fused multiply-add ${c.wasmRelaxed.toFixed(1)} GFLOP/s = ${perCycle(c.wasmRelaxed)} FLOP/cycle`),
  ];
  if (typeof c.native === 'string') lines.push(`  native: ${c.native}`);
  else {
    const n = c.native;
    lines.push(`  native (bench/ceiling.c): ${n.zmm === null ? 'no AVX-512' : `AVX-512 FMA ${n.zmm.toFixed(1)} GFLOP/s = ${perCycle(n.zmm)} FLOP/cycle`}, ` +
      `AVX2 FMA ${n.ymm.toFixed(1)} = ${perCycle(n.ymm)}, 128-bit FMA ${n.xmm.toFixed(1)} = ${perCycle(n.xmm)}, 128-bit multiply + add ${n.xmmMulAdd.toFixed(1)} = ${perCycle(n.xmmMulAdd)}`);
    const best = Math.max(n.zmm ?? 0, n.ymm);
    lines.push(`  so WebAssembly's 4 lanes reach ${((100 * wasmCeiling(c)) / best).toFixed(0)} % of what the core can do with its widest vectors`);
    if (torchGemm1 !== undefined) lines.push(`  PyTorch's one-thread sgemm 1024³: ${torchGemm1.toFixed(0)} GFLOP/s = ${perCycle(torchGemm1)} FLOP/cycle, ${((100 * torchGemm1) / best).toFixed(0)} % of the native ceiling`);
  }
  return lines;
}
