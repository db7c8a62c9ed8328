// Per-call limits in the ops: one option (a padding, a kernel count, a batch) cannot make a single call allocate
// gigabytes — the limits the model planner uses (MODEL_LIMITS, core/limits.ts) are checked before anything is
// allocated, with a message naming what asked for it; and WebAssembly memory grown by an oversized call is returned.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { conv3d, conv3dBackward, zeros, setKernels, kernels, MODEL_LIMITS, Sequential, explainConv } from '../../core/index.js';
import { wasmMemoryBytes, setWasmRetainedBytes, WASM_RETAINED_BYTES } from '../../core/kernels/wasm.js';

const script = new URL('./opLimits.script.ts', import.meta.url).pathname;

/** The script under prlimit (2 GB of data: the old 7 GB request cannot be met; Node 24 cannot start tsx's loader thread
 *  under 1 GB: "Failed to reserve virtual memory for CodeRange") and /usr/bin/time -v. */
function measured(...args: string[]) {
  const result = spawnSync('/usr/bin/time', ['-v', 'prlimit', '--data=2000000000', 'node', '--expose-gc', '--import', 'tsx', script, ...args],
    { encoding: 'utf8', timeout: 60_000 });
  const rssMB = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]) / 1024;
  const [, m, s] = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:\d+:)?(\d+):([\d.]+)/.exec(result.stderr) ?? [];
  return { status: result.status, stdout: result.stdout.trim(), rssMB, seconds: Number(m) * 60 + Number(s) };
}

describe('conv3d refuses a call beyond the per-sample limits before allocating', () => {
  it('padding 5000 on a 28×28 digit (once 51 s and 6.7 GB, then "zeros: shape […]"): refused in a child under prlimit, both kernels', () => {
    for (const which of ['wasm', 'js']) {
      const r = measured('refuse', which);
      expect(r.status).toBe(0);
      const [forward, backward] = JSON.parse(r.stdout) as string[];
      expect(forward).toBe('conv3d: its unrolled input needs 2512014400 values per sample, more than the limit of 16777216 (input [1,28,28], kernels [8,1,5,5], stride 1, padding 5000)');
      expect(backward).toMatch(/^conv3dBackward: its unrolled input needs 2512014400 values per sample, more than the limit of 16777216/);
      expect(r.rssMB).toBeLessThan(250);
      expect(r.seconds).toBeLessThan(20);
    }
  });
  it('an output over the per-sample limit (many kernels) and over one tensor (a large batch) is named, not left to zeros()', () => {
    expect(() => conv3d(zeros([1, 28, 28]), zeros([100000, 1, 1, 1])))
      .toThrow(/^conv3d: the output holds 78400000 values per sample \[100000,28,28\], more than the limit of 4194304 \(input \[1,28,28\], kernels \[100000,1,1,1\]/);
    expect(() => conv3d(zeros([2000, 1, 28, 28]), zeros([1000, 1, 1, 1])))
      .toThrow(/^conv3d: the output \[2000,1000,28,28\] holds 1568000000 values, more than the limit of 1073741824 in one tensor/);
    expect(() => explainConv(zeros([1, 28, 28]), zeros([1, 1, 5, 5]), { padding: 3000 }))
      .toThrow(/^explainConv: its unrolled input needs \d+ values per sample, more than the limit of 16777216/);
  });
  it('the op and the model planner apply the same limits (one home): a model of that conv is refused with the same numbers', () => {
    expect(() => new Sequential({ inputShape: [1, 28, 28], layers: [{ type: 'conv', filters: 8, kernelSize: 5, padding: 5000 }] }))
      .toThrow(/its unrolled input needs 2512014400 values per sample, more than the limit of 16777216/);
    expect(MODEL_LIMITS.unrolledPerSample).toBe(2 ** 24);
    // the largest call within the limits still runs
    expect(conv3d(zeros([1, 2048, 2048]), zeros([1, 1, 1, 1])).shape).toEqual([1, 2048, 2048]);
  });
});

describe('WebAssembly memory after an oversized call', () => {
  it('is released (a fresh instance next time), and RSS comes back, measured in a child', () => {
    const r = measured('release');
    expect(r.status).toBe(0);
    const { small, kept, before, during, after } = JSON.parse(r.stdout);
    expect(small).toBeGreaterThan(0);
    expect(kept).toBe(0);
    // the call held its input in WebAssembly memory (64 MB) and its output in JavaScript's (64 MB; the zero input's own
    // pages are never touched, so not resident; the output goes out in blocks of samples, so not held twice)
    expect(during - before).toBeGreaterThan(120);
    expect(after - before).toBeLessThan(40);      // kept, the 64 MB of WebAssembly memory would stay
  });
  it('ordinary calls keep their memory; over the kept size the instance is dropped and the next call works', () => {
    const previous = kernels();
    setKernels('wasm');
    const limit = setWasmRetainedBytes(8 * 1024 * 1024);
    try {
      expect(limit).toBe(WASM_RETAINED_BYTES);
      conv3d(zeros([1, 28, 28]), zeros([2, 1, 3, 3])); // an instance grown by earlier tests is dropped here
      const small = conv3d(zeros([1, 28, 28]), zeros([2, 1, 3, 3]));
      expect(wasmMemoryBytes()).toBeGreaterThan(0);
      expect(wasmMemoryBytes()).toBeLessThan(8 * 1024 * 1024);
      conv3d(zeros([4, 1, 512, 512]), zeros([1, 1, 3, 3]), { padding: 1 });
      expect(wasmMemoryBytes()).toBe(0);
      expect(conv3d(zeros([1, 28, 28]), zeros([2, 1, 3, 3])).data).toEqual(small.data);
      expect(wasmMemoryBytes()).toBeGreaterThan(0);
      expect(() => setWasmRetainedBytes(-1)).toThrow(/bytes must be an integer ≥ 0, got -1/);
    } finally { setWasmRetainedBytes(limit); setKernels(previous); }
  });
});
