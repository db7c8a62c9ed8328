// core/kernels/wasm.ts: the WebAssembly SIMD kernels (wasm/kernels.ts, built into wasmBinary.ts) behind the
// same calls as the TypeScript ones. Operands are copied into the module's memory, the kernel runs there and
// the results are copied back: O(size) copies around O(size·depth) work. The module is compiled once, on first
// use, synchronously (it is a few kilobytes, which browsers allow on any thread).
import * as binary from './wasmBinary.js';

// wasmBinary.ts is generated (npm run build:wasm); a copy older than this file lacks the relaxed build and newer kernels
const wasmBase64 = binary.wasmBase64;
const wasmRelaxedBase64: string | undefined = (binary as { wasmRelaxedBase64?: string }).wasmRelaxedBase64;
import type { Conv3dGeometry, MaxPoolGeometry, DenseGeometry, FastKernels, GemmLayout, OptimizerRule, OptimizerHyper } from './types.js';

interface Exports {
  memory: WebAssembly.Memory;
  gemmXN(M: number, N: number, K: number, a: number, sar: number, sap: number, b: number, c: number, acc: number, pack: number): void;
  gemmNT(M: number, N: number, K: number, a: number, b: number, c: number, acc: number, bias: number): void;
  gemmNTStrided(M: number, N: number, K: number, a: number, b: number, c: number, ldc: number, acc: number, bias: number, scratch: number,
    checked?: number): void;
  allFinite(p: number, n: number): number;
  denseBackward(dX: number, dW: number, db: number, x: number, W: number, dOut: number, N: number, I: number, O: number, pack: number,
    split: number): void;
  sumRows(sum: number, rows: number, N: number, O: number): void;
  sumRowsSplit(sum: number, rows: number, split: number, N: number, O: number): void;
  weightGradient(dW: number, x: number, dOut: number, N: number, I: number, M: number, ldo: number, pack: number, split: number): void;
  weightGradientScratch(K: number, N: number): number;
  convForward(out: number, input: number, kernels: number, bias: number, col: number, pack: number, N: number,
    C: number, H: number, W: number, K: number, kh: number, kw: number, sh: number, sw: number,
    pt: number, pl: number, Ho: number, Wo: number): void;
  convBackwardInput(dInput: number, kernels: number, dOut: number, dCol: number, pack: number, N: number, C: number, H: number, W: number,
    K: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, Ho: number, Wo: number): void;
  convBackwardScratch(N: number, C: number, H: number, W: number, K: number, kh: number, kw: number, sh: number, sw: number,
    pt: number, pl: number, Ho: number, Wo: number): number;
  convBackward(dInput: number, dKernels: number, dBias: number, input: number, kernels: number, dOut: number,
    col: number, dCol: number, pack: number, N: number, C: number, H: number, W: number, K: number, kh: number, kw: number,
    sh: number, sw: number, pt: number, pl: number, Ho: number, Wo: number): void;
  convForwardDirect(out: number, input: number, kernels: number, bias: number, N: number, C: number, H: number, W: number,
    K: number, kh: number, kw: number, Ho: number, Wo: number): void;
  convForwardTaps(out: number, input: number, kernels: number, bias: number, N: number, C: number, H: number, W: number, K: number,
    kh: number, kw: number, Ho: number, Wo: number, taps: number): void;
  convForwardFused(out: number, input: number, kernels: number, bias: number, N: number, C: number, H: number, W: number,
    K: number, kh: number, kw: number, Ho: number, Wo: number, scratch: number, relu: number, pool: number, taps: number): void;
  pad(dst: number, src: number, maps: number, H: number, W: number, Hp: number, Wp: number, pt: number, pl: number): void;
  relu(y: number, x: number, n: number): void;
  reluBackward(dx: number, x: number, dOut: number, n: number): void;
  maxPool(out: number, argmax: number, x: number, maps: number, H: number, W: number, sizeH: number, sizeW: number,
    strideH: number, strideW: number, Ho: number, Wo: number): void;
  optimizerStep(rule: number, w: number, g: number, a: number, b: number, n: number, lr: number, decay: number,
    momentum: number, beta1: number, beta2: number, c1: number, c2: number, epsilon: number, clear: number): void;
  addInto(dst: number, src: number, n: number, clear: number): void;
  gatherRows(dst: number, src: number, rows: number, count: number, size: number): void;
  /** 1 in the relaxed-SIMD build, 0 in the strict one. */
  relaxed(): number;
}

let module: Exports | null | undefined;
let compiled: WebAssembly.Module | null = null;
let loadError = '';
/** Shared mode (shareWasm): the instance runs over this shared memory, and `partner` takes part of large calls. */
let sharedMemory: WebAssembly.Memory | null = null;
let compiledShared: WebAssembly.Module | null = null;
let partner: KernelPartner | null = null;
/** The shared memory the current instance runs over (null: its own private memory). */
let instanceMemory: WebAssembly.Memory | null = null;

/** The export a partner thread runs (one of the kernels a call splits). */
export type SplitKernel = 'gemmXN' | 'gemmNT' | 'convForward' | 'convForwardDirect' | 'convBackwardInput' | 'weightGradient' | 'optimizerStep'
  | 'convForwardFused' | 'convForwardTaps' | 'gemmNTStrided';
/** A second thread running the same kernels over the same shared memory (core/parallel/kernelThreads.ts): a large call
 *  gives it part of the rows or samples, which it computes with the same code while this thread computes the rest, so
 *  every value is the same bits as on one thread. */
export interface KernelPartner {
  /** Start `kernel(...args)` on the other thread; returns at once. */
  start(kernel: SplitKernel, args: number[]): void;
  /** Take the part back when the other thread has not begun it (true: the caller runs it itself, same code, same bits;
   *  false: it has begun, wait with finish). */
  reclaim(): boolean;
  /** Wait until it has finished (throws with its error if it failed). */
  finish(): void;
  /** Run a call cut into chunks of rows that this thread (through `run`) and the other claim one at a time; returns when
   *  every chunk has run (throws with the other thread's error if one failed). `done(first, rows)` is called on this
   *  thread once for every chunk, as it sees it finished: after each chunk it ran, and for the other thread's chunks
   *  between its own (those finished so far, in order) and while it waits for the last ones. */
  runChunks(call: ChunkedCall, run: (...args: number[]) => void, done?: (first: number, rows: number) => void): void;
}
/** A call over `rows` independent rows (or samples) cut into chunks of `chunkRows` (a multiple of the kernel's row tile):
 *  chunk i runs the kernel on args advanced by step·i·chunkRows, with args[countArg] its row count. */
export interface ChunkedCall {
  kernel: SplitKernel;
  /** The whole call's arguments on the calling thread. */
  args: readonly number[];
  /** The same with the other thread's scratch. */
  helperArgs: readonly number[];
  /** How far each argument moves per row (0: the same for every chunk). */
  step: readonly number[];
  countArg: number;
  rows: number;
  chunkRows: number;
  /** With outArg ≥ 0 (the call writes its output there and nothing else reads or writes it): the other thread computes
   *  each chunk into its own block at helperOut (bytes; its scratch in helperArgs lies in that block too) and copies it
   *  to its place (rowBytes a row, rows contiguous) only if this thread has not taken the chunk over meanwhile. A chunk
   *  the other thread holds for long (pre-empted by another process) is then run here instead, and its late writes land
   *  only in its own block. With outArg < 0 this thread waits for the other's chunks. */
  outArg: number;
  helperOut: number;
  rowBytes: number;
}
/** Pages the shared builds may grow to (wasm/build.mjs declares the same maximum). */
export const SHARED_MAX_PAGES = 32768;
/** A call splits across the partner from this many multiply-adds (about 0.2 ms of work). A hand-over costs a few µs
 *  when the helper is spinning, but a wake-up from sleep, or a helper the scheduler has parked behind another process,
 *  costs 0.1–1 ms: at 2^20 the MLP's half-batch products split too and training ran 6× slower on a busy machine. */
export const SPLIT_MIN_WORK = 1 << 23;
let splitMinWork = SPLIT_MIN_WORK;
/** A dense layer's products (and the optimizer's update) split from a quarter of that (2^21 multiply-adds: the mlp's
 *  784→100 layer at a batch of 27 or more). A training step of the mlp is a few such calls in a row, so the helper is
 *  still spinning from the last one; smaller calls (a half batch of 16) stay on one thread. */
const denseSplitMin = () => splitMinWork / 4;
/** A batch convolution forward splits by samples from splitMinWork / CONV_SPLIT_SHARE multiply-adds (2^20 by default:
 *  the cnn's first convolution over 64 samples, 7.4 M): its samples are independent, and copying the operands in and
 *  out overlaps the partner's part. */
export const CONV_SPLIT_SHARE = 8;
/** Split calls from `work` multiply-adds on (default SPLIT_MIN_WORK; tests lower it to split small operands). Returns
 *  the previous value. */
export function setSplitMinWork(work: number): number {
  if (!(Number.isSafeInteger(work) && work >= 0)) throw new RangeError(`setSplitMinWork: work must be an integer ≥ 0, got ${work}`);
  const previous = splitMinWork;
  splitMinWork = work;
  return previous;
}

/** Which build of the kernels: 'relaxed' (relaxed SIMD's fused multiply-add: one rounding per multiply-add and
 *  fewer instructions) or 'strict' (a multiply and an add, the same bits on every machine). */
export type WasmFlavor = 'relaxed' | 'strict';
let requestedFlavor: WasmFlavor | 'auto' = 'auto';
let flavor: WasmFlavor | null = null;

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** True where this runtime validates the relaxed-SIMD build (Chrome 114+, Node 22+; Node 20 only with
 *  --experimental-wasm-relaxed-simd). */
export function relaxedSimdAvailable(): boolean {
  try { return typeof WebAssembly === 'object' && wasmRelaxedBase64 !== undefined && WebAssembly.validate(decode(wasmRelaxedBase64)); } catch { return false; }
}

/** The instantiated module, or null where WebAssembly SIMD is unavailable (then `wasmUnavailableReason()` says why).
 *  The build is chosen here, once: relaxed SIMD where the runtime has it (unless setWasmFlavor('strict')), else strict. */
export function wasmModule(): Exports | null {
  if (module !== undefined) return module;
  try {
    if (typeof WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
    if (!compiled) {
      const relaxed = requestedFlavor === 'relaxed' || (requestedFlavor === 'auto' && relaxedSimdAvailable());
      compiled = new WebAssembly.Module(decode(relaxed ? wasmRelaxedBase64! : wasmBase64));
    }
    const own = new WebAssembly.Instance(compiled, {}).exports as unknown as Exports;
    if (typeof own.relaxed !== 'function' || typeof own.optimizerStep !== 'function') {
      throw new Error('core/kernels/wasmBinary.ts is older than core/kernels/wasm.ts (run `npm run build:wasm`)');
    }
    flavor = own.relaxed() ? 'relaxed' : 'strict';
    // over a shared memory: the kernel threads' (shareWasm), else the resident arrays' where there are any (Node)
    const memory = sharedMemory ?? residentStore()?.memory ?? null;
    const build = memory ? sharedBuild() : null;
    module = build ? new WebAssembly.Instance(build, { env: { memory: memory! } }).exports as unknown as Exports : own;
    instanceMemory = build ? memory : null;
  } catch (error) {
    loadError = error instanceof Error ? error.message : String(error);
    module = null;
    flavor = null;
  }
  return module;
}

/** The build in use ('relaxed' or 'strict'), or null where WebAssembly SIMD is unavailable. */
export function wasmFlavor(): WasmFlavor | null { return wasmModule() ? flavor : null; }

/** Use this build of the kernels from now on (the next kernel call loads it). 'relaxed' throws where the runtime
 *  lacks relaxed SIMD. Sums differ between the builds by float32 rounding only (tests bound it); one build gives
 *  the same bits on one thread or two, and helper threads started afterwards get the same build. */
export function setWasmFlavor(name: WasmFlavor | 'auto'): void {
  if (name !== 'relaxed' && name !== 'strict' && name !== 'auto') throw new RangeError(`setWasmFlavor: name must be 'relaxed', 'strict' or 'auto', got ${JSON.stringify(name)}`);
  if (name === 'relaxed' && !relaxedSimdAvailable()) throw new Error('setWasmFlavor: this runtime has no relaxed SIMD (WebAssembly.validate refuses the relaxed build)');
  if (sharedMemory) throw new Error('setWasmFlavor: kernel threads are running (close them first: both threads must use one build)');
  requestedFlavor = name;
  module = undefined; compiled = null; compiledShared = null; flavor = null; theArena = null;
}

/** The build in use compiled over an imported shared memory (env.memory, at most SHARED_MAX_PAGES pages), for a
 *  partner thread and for shareWasm; null where WebAssembly SIMD is unavailable. */
export function compiledSharedWasmModule(): WebAssembly.Module | null {
  return wasmModule() ? sharedBuild() : null;
}

/** The shared-memory build of the flavor chosen (set by wasmModule before it is called), or null where it is missing. */
function sharedBuild(): WebAssembly.Module | null {
  const base = flavor === 'relaxed' ? binary.wasmRelaxedSharedBase64 : binary.wasmSharedBase64;
  if (base === undefined) return null;
  return (compiledShared ??= new WebAssembly.Module(decode(base)));
}

/** The shared memory a kernel helper thread should run over: the one holding the resident arrays where there is one (so
 *  they stay in place with two threads), else a new one. */
export function kernelThreadMemory(): WebAssembly.Memory {
  return residentStore()?.memory ?? new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true });
}

/** Run the kernels over `memory` (a shared WebAssembly.Memory instantiated by compiledSharedWasmModule's build on the
 *  partner's thread too) and hand part of every large call to `helper`; shareWasm(null, null) goes back to a private
 *  instance. While shared, the memory is kept whatever its size (the partner holds it too). */
export function shareWasm(memory: WebAssembly.Memory | null, helper: KernelPartner | null): void {
  if (memory && !compiledSharedWasmModule()) throw new Error(`shareWasm: the WebAssembly kernels cannot load here: ${loadError}`);
  sharedMemory = memory;
  partner = memory ? helper : null;
  module = undefined; theArena = null; helperBlock = null;
}

/** True while kernel threads are running (startKernelThreads until its close()): large calls split with the partner. */
export function kernelThreadsRunning(): boolean { return partner !== null; }

/** Where a call over `rows` rows (or samples) of `work` multiply-adds splits: this thread takes [0, split), the partner
 *  [split, rows). rows when there is no partner or the call is small. The split is a multiple of `tile` (the kernels'
 *  row tile), so each row runs through the same code as on one thread. */
function splitAt(rows: number, work: number, tile: number, minWork = splitMinWork): number {
  if (!partner || work < minWork || rows < 2 * tile) return rows;
  return tile * Math.ceil(rows / (2 * tile));
}

/** Where a dense layer's O units split between this thread ([0, split)) and the partner for a call of `work`
 *  multiply-adds (O when it stays on one thread). The forward product, the weight gradient and the optimizer's update of
 *  the layer's weights all split here (owner computes): each thread reads and writes only its own rows of W, its
 *  gradient and the optimizer's state, which stay in its core's cache from step to step, and only the activations cross
 *  between the cores. A multiple of 4 (the weight gradient's row tile). */
function ownerSplit(O: number, work: number): number {
  return splitAt(O, work, 4, denseSplitMin());
}

/** A chunked call's chunks are about this many multiply-adds (2^19: ~25 µs on a core), at most MAX_CALL_CHUNKS of them:
 *  small enough that a pre-empted helper holds back little of the call, large enough that the per-chunk costs (a call
 *  into WebAssembly, a claim, the kernels' per-call tables and panels) stay small. */
let chunkWork = 1 << 19;
const MAX_CALL_CHUNKS = 32;
/** Set the chunks' size in multiply-adds (benches and tests); returns the previous value. */
export function setChunkWork(work: number): number {
  if (!(Number.isSafeInteger(work) && work >= 1)) throw new RangeError(`setChunkWork: work must be an integer ≥ 1, got ${work}`);
  const previous = chunkWork;
  chunkWork = work;
  return previous;
}
/** Rows per chunk of a call over `rows` rows and `work` multiply-adds: a multiple of `tile`, at least `minRows`; 0 when the
 *  call runs on this thread alone (no partner, a small call, or a single chunk), as without kernel threads. */
function chunkRowsFor(rows: number, work: number, tile: number, minWork = splitMinWork, minRows = tile): number {
  if (!partner || work < minWork || rows < 2 * tile) return 0;
  const chunks = Math.max(2, Math.min(MAX_CALL_CHUNKS, Math.round(work / chunkWork)));
  const chunkRows = Math.max(minRows, tile * Math.ceil(rows / (tile * chunks)));
  return chunkRows < rows ? chunkRows : 0;
}

/** The partner's own block of the shared memory (ChunkedCall.helperOut): a resident array of HELPER_BLOCK floats kept
 *  while the partner runs (a chunk it computes late, after its call has returned, writes only here). Made with the
 *  instance's arena (arenaFor), outside any call: a resident array made during a call would lie where its arena starts. */
let helperBlock: Float32Array | null = null;
const HELPER_BLOCK = 1 << 20;
/** The float index of the partner's block if it holds `floats` floats, else −1 (no resident arrays in the shared memory,
 *  or a larger chunk: then a chunk the partner holds is waited for). */
function helperBlockAt(floats: number): number {
  return helperBlock ? residentIndex(helperBlock, floats) : -1;
}

/** The layout of a chunked call's scratch on the partner: its output block (when the call's output can be taken over,
 *  `outFloats` a row) then `scratch` blocks of the given sizes; where there is no partner block, the scratch comes from
 *  the arena (`arenaScratch`) and the output is written in place. Returns [helperOut (bytes, or 0), outArg or −1,
 *  scratch byte addresses]. */
function helperLayout(chunkRows: number, outFloats: number, outArg: number, scratch: number[], arenaScratch: () => number[]): [number, number, number[]] {
  const outSize = (chunkRows * outFloats + 3) & ~3;
  const at = outArg >= 0 ? helperBlockAt(outSize + scratch.reduce((t, n) => t + ((n + 3) & ~3), 0)) : -1;
  if (at < 0) return [0, -1, arenaScratch().map((f) => 4 * f)];
  let top = at + outSize;
  return [4 * at, outArg, scratch.map((n) => { const here = top; top += (n + 3) & ~3; return 4 * here; })];
}

/** Run a chunked call (chunkRowsFor gave chunkRows > 0) with the partner; `done` as KernelPartner.runChunks. */
function runChunked(wasm: Exports, call: ChunkedCall, done?: (first: number, rows: number) => void): void {
  partner!.runChunks(call, (wasm as unknown as Record<SplitKernel, (...a: number[]) => void>)[call.kernel], done);
}

/** Run `mine` here and `theirs` on the partner at the same time (when split < rows). */
function together(split: number, rows: number, kernel: SplitKernel, theirs: () => number[], mine: () => void): void {
  if (split >= rows) { mine(); return; }
  const helper = partner!, args = theirs();
  helper.start(kernel, args);
  let back = false;
  try { mine(); } finally { back = helper.reclaim(); if (!back) helper.finish(); }
  // a helper not yet running (asleep, or parked behind another process) would make this call slower than one thread
  if (back) (module as unknown as Record<SplitKernel, (...a: number[]) => void>)[kernel](...args);
}

/** The compiled module, to post to another thread (it shares the machine code, optimised tiers included,
 *  so a helper thread does not start from the baseline tier). Null where WebAssembly SIMD is unavailable. */
export function compiledWasmModule(): WebAssembly.Module | null {
  return wasmModule() ? compiled : null;
}

/** Use a module compiled on another thread (from compiledWasmModule), and its shared-memory build (from
 *  compiledSharedWasmModule) where the other thread runs that one (Node's resident arrays): compiling either afresh here
 *  would start this thread's kernels in the baseline tier, optimised later on a background thread that two busy threads
 *  starve (a half-batch helper ran its first lab-CNN halves 10–50 % slower). A no-op once kernels have loaded. */
export function adoptWasmModule(shared: WebAssembly.Module, sharedMemoryBuild: WebAssembly.Module | null = null): void {
  if (module !== undefined) return;
  compiled = shared;
  if (sharedMemoryBuild) compiledShared = sharedMemoryBuild;
}

export function wasmUnavailableReason(): string { return loadError; }

/** A bump allocator over the module's memory, reset for every call; grows the memory when a call needs more. It starts
 *  above the resident arrays (residentArray), which calls read and write in place. */
class Arena {
  private heap = new Float32Array(0);
  private top = 0;
  constructor(private readonly wasm: Exports) {}
  /** Start a call that needs at most `floats` values (plus alignment); returns the float view of memory. */
  begin(floats: number): Float32Array {
    const home = residentStore();
    this.top = home && home.memory === instanceMemory ? home.end : 0;
    const bytes = (this.top + floats + 64) * 4; // + room for each operand's rounding up to 16 bytes
    const memory = this.wasm.memory;
    if (memory.buffer.byteLength < bytes) {
      try { memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / 65536)); } catch {
        throw new WasmMemoryError(`WebAssembly memory cannot grow to ${bytes} bytes`);
      }
    }
    if (this.heap.buffer !== memory.buffer) this.heap = new Float32Array(memory.buffer);
    return this.heap;
  }
  /** Room for n floats, 16-byte aligned; returns the float index (byte address = 4·index). */
  take(n: number): number {
    const at = this.top;
    this.top = (at + n + 3) & ~3;
    return at;
  }
  /** Where the first n values of `from` are for this call: in place when it is a resident array, else copied into the
   *  arena (copy = false: room only, for an output the kernel overwrites). */
  operand(from: Float32Array, n: number, copy = true): number {
    const at = residentIndex(from, n);
    if (at >= 0) return at;
    const to = this.take(n);
    if (copy) copyIn(this.heap, to, from, 0, n);
    return to;
  }
  /** Copy a result at `at` out to `to`, unless the kernel wrote it in place. */
  result(to: Float32Array, at: number, n: number): void {
    if (residentIndex(to, n) !== at) to.set(this.heap.subarray(at, at + n));
  }
}

// ---- resident arrays ---------------------------------------------------------------------------------------------
// A model's parameters, gradients and optimizer state are read and written by every training step: copied into the
// kernels' memory and back, they cost as much as the small MLP's products. A resident array lives in that memory, so a
// call uses it in place. It must be a shared memory (a grown SharedArrayBuffer keeps every earlier view valid; an
// ordinary memory's growth would detach them), so resident arrays exist only in Node, where shared memory needs no
// cross-origin isolation, and in a browser worker that asks for them (residentArraysInWorker: a cross-origin-isolated
// page's worker that posts only copies); elsewhere residentArray returns an ordinary array.
// Blocks lie below the arena, each rounded up to 4 floats (the optimizer computes whole vectors); a block returns to a
// free list when its array is collected. Anything not registered here (a subarray, another array) is copied as before.

/** The memory holding resident arrays: `end` (floats) is where the arena starts; free blocks by size (floats). */
interface ResidentStore { memory: WebAssembly.Memory; end: number; free: Map<number, number[]> }
/** Resident arrays stop at this many bytes (beyond, residentArray returns ordinary arrays). */
export const RESIDENT_MAX_BYTES = 256 * 1024 * 1024;
let store: ResidentStore | null | undefined;
let residence = true;
const residents = new WeakMap<Float32Array, { memory: WebAssembly.Memory; at: number }>();
const reclaim = typeof FinalizationRegistry === 'function'
  ? new FinalizationRegistry<{ memory: WebAssembly.Memory; at: number; size: number }>((block) => {
    if (store && store.memory === block.memory) {
      const list = store.free.get(block.size);
      if (list) list.push(block.at); else store.free.set(block.size, [block.at]);
    }
  })
  : null;

/** Resident arrays in a browser worker (residentArraysInWorker): off until a worker asks. */
let inWorker = false;

/** Let this thread keep resident arrays (parameters, gradients, optimizer state in shared WebAssembly memory) in a
 *  browser, as Node does: only in a Web Worker of a cross-origin-isolated page (shared memory), and only a worker that
 *  hands the page's thread copies, never views of its arrays (the training page's worker: its pictures are slices, its
 *  model a file). Call it before the model is made. Returns whether resident arrays are on here (in Node: true, unless
 *  setResidentArrays(false) or WebAssembly is missing). */
export function residentArraysInWorker(): boolean {
  const scope = globalThis as { crossOriginIsolated?: boolean; WorkerGlobalScope?: unknown };
  if (!inWorker && scope.crossOriginIsolated === true && typeof scope.WorkerGlobalScope === 'function') {
    inWorker = true; store = undefined; module = undefined; theArena = null;
  }
  return residentStore() !== null;
}

/** The resident arrays' memory, made on first use where they are possible (Node or a worker that asked, shared memory,
 *  the shared build). */
function residentStore(): ResidentStore | null {
  if (store !== undefined) return store;
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node;
  store = null;
  if (residence && (node !== undefined || inWorker) && typeof SharedArrayBuffer === 'function' && reclaim && binary.wasmSharedBase64 !== undefined) {
    try { store = { memory: new WebAssembly.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true }), end: 0, free: new Map() }; } catch { store = null; }
  }
  return store;
}

/** The float index of `array` in the current instance's memory when it is a resident array there holding ≥ n values, else −1. */
function residentIndex(array: Float32Array, n: number): number {
  const home = residents.get(array);
  return home !== undefined && home.memory === instanceMemory && array.length >= n ? home.at : -1;
}

/** n zeros the WebAssembly kernels read and write in place (see above): in Node (or a worker that asked: residentArraysInWorker) a view into the kernels' memory, else
 *  (or past RESIDENT_MAX_BYTES, or without WebAssembly) an ordinary Float32Array. Either way an ordinary Float32Array
 *  to its users; only the copies differ. */
export function residentArray(n: number): Float32Array {
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new RangeError(`residentArray: n must be an integer ≥ 0, got ${n}`);
  const home = n > 0 && wasmModule() ? residentStore() : null;
  if (!home) return new Float32Array(n);
  const size = (n + 3) & ~3;
  let at = home.free.get(size)?.pop();
  if (at === undefined) {
    const bytes = (home.end + size) * 4;
    if (bytes > RESIDENT_MAX_BYTES) return new Float32Array(n);
    const memory = home.memory;
    if (memory.buffer.byteLength < bytes + 256) {
      try { memory.grow(Math.ceil((bytes + 256 - memory.buffer.byteLength) / 65536)); } catch { return new Float32Array(n); }
    }
    at = home.end;
    home.end += size;
  }
  const view = new Float32Array(home.memory.buffer, at * 4, n);
  view.fill(0);
  residents.set(view, { memory: home.memory, at });
  reclaim!.register(view, { memory: home.memory, at, size });
  return view;
}

/** True when `array` is a resident array of the kernels' current memory (tests). */
export function isResident(array: Float32Array): boolean {
  const home = residents.get(array);
  return home !== undefined && store !== null && store !== undefined && home.memory === store.memory;
}

/** Turn resident arrays on or off for arrays made from now on (tests compare both; on by default). Returns the previous
 *  setting. Arrays made earlier stay valid either way (they are copied like any other array once off). */
export function setResidentArrays(on: boolean): boolean {
  if (typeof on !== 'boolean') throw new TypeError(`setResidentArrays: on must be true or false, got ${typeof on}`);
  if (sharedMemory && !on) throw new Error('setResidentArrays: kernel threads are running (close them first)');
  const previous = residence;
  if (on !== residence) { residence = on; store = undefined; module = undefined; theArena = null; }
  return previous;
}

/** The operands do not fit in WebAssembly memory (a 32-bit module holds at most 4 GiB). */
export class WasmMemoryError extends RangeError {}

/** A WebAssembly memory cannot shrink; after a call that grew it past this many bytes (512 MiB) the instance is
 *  dropped with its memory (the garbage collector returns it) and the next call starts a fresh one from the same
 *  compiled module. Ordinary calls (a training batch within the CLI's --batch cap) stay below and keep theirs. */
export const WASM_RETAINED_BYTES = 512 * 1024 * 1024;
let retainedBytes = WASM_RETAINED_BYTES;

/** Keep at most `bytes` of WebAssembly memory between calls (default WASM_RETAINED_BYTES); lower it where memory is
 *  scarce. Returns the previous value. */
export function setWasmRetainedBytes(bytes: number): number {
  if (!(Number.isSafeInteger(bytes) && bytes >= 0)) throw new RangeError(`setWasmRetainedBytes: bytes must be an integer ≥ 0, got ${bytes}`);
  const previous = retainedBytes;
  retainedBytes = bytes;
  return previous;
}

/** Run a WebAssembly kernel call; false (nothing written) when its operands do not fit, so the caller can
 *  use the TypeScript kernel instead. An oversized call's memory is released when it ends, failed or not. */
export function withWasm(run: () => void): boolean {
  try { run(); return true; } catch (error) {
    if (error instanceof WasmMemoryError) return false;
    throw error;
  } finally {
    if (module && !sharedMemory && module.memory.buffer.byteLength > retainedBytes) {
      // the memory goes with the instance; resident arrays in it stay valid (views keep it) and are copied from now on
      module = undefined; theArena = null; store = undefined; instanceMemory = null;
    }
  }
}

/** The bytes the WebAssembly instance holds now (0 before the first call or after an oversized one released it). */
export function wasmMemoryBytes(): number {
  return module ? module.memory.buffer.byteLength : 0;
}

let theArena: Arena | null = null;
/** The one arena over the module's memory (calls do not nest: each kernel call begins it afresh). */
function arenaFor(wasm: Exports): Arena {
  if (!theArena && partner && (!helperBlock || helperBlockAt(HELPER_BLOCK) < 0)) helperBlock = residentArray(HELPER_BLOCK);
  return (theArena ??= new Arena(wasm));
}

function copyIn(heap: Float32Array, at: number, from: Float32Array, offset: number, n: number): void {
  heap.set(offset === 0 && from.length === n ? from : from.subarray(offset, offset + n), at);
}

/** C[M,N] (+)= op(A)·op(B) for layout 'NN', 'NT' or 'TN' (as gemm.ts), computed in WebAssembly. */
export function wasmGemm(layout: GemmLayout, M: number, N: number, K: number, A: Float32Array, aOff: number,
  B: Float32Array, bOff: number, C: Float32Array, cOff: number, accumulate: boolean): void {
  const wasm = wasmModule()!;
  const arena = arenaFor(wasm), heap = arena.begin(M * K + K * N + M * N + 16 * K);
  const a = arena.take(M * K), b = arena.take(K * N), c = arena.take(M * N), pack = arena.take(8 * K), pack2 = arena.take(8 * K);
  copyIn(heap, a, A, aOff, M * K);
  copyIn(heap, b, B, bOff, K * N);
  if (accumulate) copyIn(heap, c, C, cOff, M * N);
  gemmRows(wasm, layout, M, N, K, a, b, c, accumulate ? 1 : 0, 0, pack, pack2);
  C.set(heap.subarray(c, c + M * N), cOff);
}

/** C[M,N] (+)= op(A)·op(B) (+ bias, 'NT' only) over operands already in memory (float indices), rows split with the
 *  partner when it is there; pack and pack2: 8K floats each (one per thread). */
function gemmRows(wasm: Exports, layout: GemmLayout, M: number, N: number, K: number, a: number, b: number, c: number, acc: number,
  bias: number, pack: number, pack2: number, minWork = splitMinWork): void {
  // by rows, in chunks of at least 256 rows for gemmXN (it packs each 8-column panel of B once per call); the partner's
  // chunks can be taken over when the product overwrites C
  const nt = layout === 'NT', [sar, sap] = layout === 'NN' ? [4 * K, 4] : [4, 4 * M];
  const args = nt ? [M, N, K, 4 * a, 4 * b, 4 * c, acc, bias] : [M, N, K, 4 * a, sar, sap, 4 * b, 4 * c, acc, 4 * pack];
  const chunkRows = chunkRowsFor(M, M * N * K, 4, minWork, nt ? 4 : 256);
  if (!chunkRows) {
    if (nt) wasm.gemmNT(M, N, K, 4 * a, 4 * b, 4 * c, acc, bias); else wasm.gemmXN(M, N, K, 4 * a, sar, sap, 4 * b, 4 * c, acc, 4 * pack);
    return;
  }
  const outArg = acc ? -1 : nt ? 5 : 7;
  const [helperOut, out, [helperPack]] = helperLayout(chunkRows, N, outArg, nt ? [0] : [8 * K], () => [pack2]);
  const helperArgs = nt ? args : [...args.slice(0, 9), helperPack];
  const step = nt ? [0, 0, 0, 4 * K, 0, 4 * N, 0, 0] : [0, 0, 0, sar, 0, 0, 0, 4 * N, 0, 0];
  runChunked(wasm, { kernel: nt ? 'gemmNT' : 'gemmXN', args, helperArgs, step, countArg: 0, rows: M, chunkRows, outArg: out, helperOut, rowBytes: 4 * N });
}

/** denseForwardKernel in WebAssembly: y[N,out] = x[N,in]·Wᵀ + b, the bias added as each element is stored (one pass,
 *  one copy of each operand; the same bits as the product followed by the bias loop). */
export function wasmDenseForward(y: Float32Array, x: Float32Array, W: Float32Array, b: Float32Array | null, g: DenseGeometry): void {
  const wasm = wasmModule()!, { batch: N, inputs: I, outputs: O } = g;
  const arena = arenaFor(wasm);
  // scratch (one per thread): the product's list of x's 4-value chunks that are not blank (gemmNTStrided)
  const scratch = (I >> 2) + 8;
  arena.begin(N * I + O * I + O + N * O + 2 * scratch);
  const px = arena.operand(x, N * I), pw = arena.operand(W, O * I), pb = b ? arena.operand(b, O) : 0;
  const py = arena.operand(y, N * O, false), ps = arena.take(scratch), ps2 = arena.take(scratch);
  const bias = (at: number) => (b ? 4 * (pb + at) : 0);
  // with a partner: split by the layer's units (ownerSplit), so each thread reads only the rows of W it also computes
  // the gradient of and updates (the same bits: every output's sum is the same code whatever its column)
  // (training's small batches: N ≤ O). A larger batch (inference's chunks) splits by samples: each thread then reads all
  // of W, which nothing writes meanwhile, and half of x, less than all of x
  const units = N <= O ? ownerSplit(O, N * O * I) : O;
  if (units < O) {
    together(units, O, 'gemmNTStrided', () => [N, O - units, I, 4 * px, 4 * (pw + units * I), 4 * (py + units), 4 * O, 0, bias(units), 4 * ps2],
      () => wasm.gemmNTStrided(N, units, I, 4 * px, 4 * pw, 4 * py, 4 * O, 0, bias(0), 4 * ps));
  } else {
    // by samples, in chunks either thread claims (runChunks; a chunk the helper holds late is taken over). W is checked
    // for ∞ and NaN once here, not by every chunk (gemmNTStrided's `checked`): without a scratch list nothing is skipped
    const chunkRows = chunkRowsFor(N, N * O * I, 4, denseSplitMin());
    if (!chunkRows) wasm.gemmNTStrided(N, O, I, 4 * px, 4 * pw, 4 * py, 4 * O, 0, bias(0), 4 * ps);
    else {
      const finite = wasm.allFinite(4 * pw, O * I) !== 0;
      const [helperOut, out, [helperScratch]] = helperLayout(chunkRows, O, 5, [scratch], () => [ps2]);
      const args = [N, O, I, 4 * px, 4 * pw, 4 * py, 4 * O, 0, bias(0), finite ? 4 * ps : 0, 1];
      runChunked(wasm, { kernel: 'gemmNTStrided', args, helperArgs: [...args.slice(0, 9), finite ? helperScratch : 0, 1],
        step: [0, 0, 0, 4 * I, 0, 4 * O, 0, 0, 0, 0, 0], countArg: 0, rows: N, chunkRows, outArg: out, helperOut, rowBytes: 4 * O });
    }
  }
  arena.result(y, py, N * O);
}

/** denseBackwardKernel in WebAssembly: dX (when given) overwritten, dW and db accumulate; dOut is copied in once for
 *  all three. With split < batch, dW and db sum the samples [0, split) and [split, batch) as two halves (ops/dense.ts). */
export function wasmDenseBackward(dX: Float32Array | null, dW: Float32Array, db: Float32Array, x: Float32Array, W: Float32Array,
  dOut: Float32Array, g: DenseGeometry, split = g.batch): void {
  const wasm = wasmModule()!, { batch: N, inputs: I, outputs: O } = g;
  const arena = arenaFor(wasm);
  // pack (and pack2, the partner's): gemmXN's panels, and every panel of x for the weight gradient's halves (with the
  // offsets of each panel's rows that are not all zero)
  const packSize = Math.max(8 * Math.max(N, O), wasm.weightGradientScratch(N, I));
  arena.begin(N * I + 2 * O * I + O + N * O + (dX ? N * I : 0) + 2 * packSize);
  const px = arena.operand(x, N * I), pw = dX ? arena.operand(W, O * I) : 0, pd = arena.operand(dOut, N * O);
  const pdw = arena.operand(dW, O * I), pdb = arena.operand(db, O), pdx = dX ? arena.operand(dX, N * I, false) : 0;
  const pack = arena.take(packSize), pack2 = partner ? arena.take(packSize) : 0;
  const s = Math.min(split, N);
  if (partner) { // each product split by rows (the same bits; dW by its rows, both halves in one hand-over), the bias sum here
    if (dX) gemmRows(wasm, 'NN', N, I, O, pd, pw, pdx, 0, 0, pack, pack2, denseSplitMin());
    const rows = ownerSplit(O, O * I * N);
    together(rows, O, 'weightGradient', () => [4 * (pdw + rows * I), 4 * px, 4 * (pd + rows), N, I, O - rows, 4 * O, 4 * pack2, s],
      () => wasm.weightGradient(4 * pdw, 4 * px, 4 * pd, N, I, rows, 4 * O, 4 * pack, s));
    if (s >= N) wasm.sumRows(4 * pdb, 4 * pd, N, O); else wasm.sumRowsSplit(4 * pdb, 4 * pd, s, N, O);
  } else wasm.denseBackward(dX ? 4 * pdx : 0, 4 * pdw, 4 * pdb, 4 * px, 4 * pw, 4 * pd, N, I, O, 4 * pack, s);
  arena.result(dW, pdw, O * I);
  arena.result(db, pdb, O);
  if (dX) arena.result(dX, pdx, N * I);
}

function sizes(g: Conv3dGeometry) {
  const inSize = g.batch * g.channels * g.height * g.width;
  const R = g.channels * g.kernelHeight * g.kernelWidth, P = g.outHeight * g.outWidth;
  return { inSize, R, P, wSize: g.kernelCount * R, outSize: g.batch * g.kernelCount * P };
}

function geometryArgs(g: Conv3dGeometry): [number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [g.batch, g.channels, g.height, g.width, g.kernelCount, g.kernelHeight, g.kernelWidth,
    g.strideH, g.strideW, g.padTop, g.padLeft, g.outHeight, g.outWidth];
}

/** What the inference path fuses into a stride-1 convolution's store (FastKernels.convForwardFused): ReLU, and a 2×2
 *  max pool with stride 2 after the ReLU. */
export interface ConvEpilogue { relu: boolean; pool: boolean }

/** A convolution's output copied out of WebAssembly memory is computed and copied in blocks of samples of about this
 *  many floats (256 KB: a quarter of the core's level-2 cache) on one thread. */
const COPY_BLOCK = 1 << 16;

/** conv3dForwardKernel in WebAssembly: out[N,K,Ho,Wo] = W · im2col(input[n]) + b. Stride 1 runs as a direct
 *  convolution over the (padded) input, other strides unroll it (im2col); both give the same bits. With `fuse` (stride 1
 *  only), each sample's output goes through ReLU (and the pool: out is then [N,K,Ho/2,Wo/2]) while it is in cache. */
export function wasmConvForward(out: Float32Array, input: Float32Array, W: Float32Array, bias: Float32Array | null,
  g: Conv3dGeometry, fuse: ConvEpilogue | null = null): void {
  const wasm = wasmModule()!;
  const { inSize, R, P, wSize } = sizes(g);
  const K = g.kernelCount;
  const pool = fuse?.pool === true, fused = fuse !== null && (fuse.relu || pool);
  if (pool && !fuse!.relu) throw new Error('wasmConvForward: the fused pool follows a ReLU');
  const perOut = pool ? K * (g.outHeight >> 1) * (g.outWidth >> 1) : K * P, outSize = g.batch * perOut;
  if (g.strideH === 1 && g.strideW === 1) {
    const Hp = g.outHeight + g.kernelHeight - 1, Wp = g.outWidth + g.kernelWidth - 1;
    const padded = g.padTop !== 0 || g.padLeft !== 0 || Hp !== g.height || Wp !== g.width;
    const paddedSize = padded ? g.batch * g.channels * Hp * Wp : 0;
    const arena = arenaFor(wasm);
    const N = g.batch, chunkRows = chunkRowsFor(N, N * K * R * P, 1, splitMinWork / CONV_SPLIT_SHARE, 1);
    // convForwardTaps's scratch (its taps and the kernels interleaved by four), one per thread
    const tableSize = ((R + 3) & ~3) + (K & ~3) * R;
    const heap = arena.begin(inSize + paddedSize + wSize + K + outSize + (pool ? 2 * K * P : 0) + 2 * tableSize + 24);
    const x = arena.operand(input, inSize), xp = arena.take(paddedSize), w = arena.operand(W, wSize), b = bias ? arena.operand(bias, K) : 0;
    const o = arena.operand(out, outSize, false);
    const scratch = pool ? arena.take(K * P) : 0, table = arena.take(tableSize);
    const outputCopied = residentIndex(out, outSize) !== o;
    if (padded) wasm.pad(4 * xp, 4 * x, N * g.channels, g.height, g.width, Hp, Wp, g.padTop, g.padLeft);
    const src = padded ? xp : x;
    const shape = [g.channels, Hp, Wp, K, g.kernelHeight, g.kernelWidth, g.outHeight, g.outWidth];
    const tail = (at: number, tableAt: number) => (fused ? [at, fuse!.relu ? 1 : 0, pool ? 1 : 0, tableAt] : [tableAt]);
    const args = [4 * o, 4 * src, 4 * w, bias ? 4 * b : 0, N, ...shape, ...tail(4 * scratch, 4 * table)];
    const kernel = fused ? 'convForwardFused' : 'convForwardTaps';
    if (!chunkRows) {
      const run = (wasm as unknown as Record<SplitKernel, (...a: number[]) => void>)[kernel];
      if (!outputCopied || outSize <= COPY_BLOCK) {
        run(...args);
        if (outputCopied) out.set(heap.subarray(o, o + outSize));
        return;
      }
      // an output copied out (not resident) larger than COPY_BLOCK: in blocks of samples, each written to the same place
      // (o) and copied out while it is in this core's cache, instead of the whole output written, then read back from
      // farther away. Each sample's sums are the same whichever call computes them
      const rows = Math.max(1, Math.floor(COPY_BLOCK / perOut)), perIn = 4 * g.channels * Hp * Wp;
      for (let first = 0; first < N; first += rows) {
        const count = Math.min(rows, N - first);
        args[1] = 4 * src + first * perIn; args[4] = count;
        run(...args);
        out.set(heap.subarray(o, o + count * perOut), first * perOut);
      }
      return;
    }
    // by samples, in chunks both threads claim: each output is the same sum on either thread. This thread copies out the
    // output of every chunk as it sees it finished (its own and the other thread's, while the other thread computes)
    const [helperOut, outArg, [scratch2, table2]] = helperLayout(chunkRows, perOut, 0, [pool ? K * P : 0, tableSize],
      () => [pool ? arena.take(K * P) : 0, arena.take(tableSize)]);
    const helperArgs = [...args.slice(0, 13), ...tail(scratch2, table2)];
    const step = args.map(() => 0);
    step[0] = 4 * perOut; step[1] = 4 * g.channels * Hp * Wp;
    runChunked(wasm, { kernel, args, helperArgs, step, countArg: 4, rows: N, chunkRows, outArg, helperOut, rowBytes: 4 * perOut },
      outputCopied ? (first, rows) => out.set(heap.subarray(o + first * perOut, o + (first + rows) * perOut), first * perOut) : undefined);
    return;
  }
  if (fused) throw new Error('wasmConvForward: the fused epilogue needs stride 1');
  const N = g.batch, chunkRows = chunkRowsFor(N, N * K * R * P, 1);
  const arena = arenaFor(wasm);
  arena.begin(inSize + wSize + K + 2 * (R * P + 8 * R) + outSize);
  const x = arena.operand(input, inSize), w = arena.operand(W, wSize), b = bias ? arena.operand(bias, K) : 0;
  const col = arena.take(R * P), pack = arena.take(8 * R), o = arena.operand(out, outSize, false);
  const [, ...shape] = geometryArgs(g), perSample = g.channels * g.height * g.width;
  const head = [4 * o, 4 * x, 4 * w, bias ? 4 * b : 0];
  if (!chunkRows) wasm.convForward(4 * o, 4 * x, 4 * w, bias ? 4 * b : 0, 4 * col, 4 * pack, N, ...shape);
  else {
    // by samples, in chunks both threads claim (each thread unrolls into its own col and pack)
    const [helperOut, outArg, [col2, pack2]] = helperLayout(chunkRows, K * P, 0, [R * P, 8 * R], () => [arena.take(R * P), arena.take(8 * R)]);
    const step = [4 * K * P, 4 * perSample, ...shape.map(() => 0), 0, 0, 0, 0, 0];
    runChunked(wasm, { kernel: 'convForward', args: [...head, 4 * col, 4 * pack, N, ...shape], helperArgs: [...head, col2, pack2, N, ...shape],
      step, countArg: 6, rows: N, chunkRows, outArg, helperOut, rowBytes: 4 * K * P });
  }
  arena.result(out, o, outSize);
}

/** conv3dBackwardKernel in WebAssembly: dW, db accumulate; dInput (when given) accumulates too. */
export function wasmConvBackward(dInput: Float32Array | null, dW: Float32Array, db: Float32Array, input: Float32Array,
  W: Float32Array, dOut: Float32Array, g: Conv3dGeometry): void {
  const wasm = wasmModule()!;
  const { inSize, R, P, wSize, outSize } = sizes(g);
  const K = g.kernelCount;
  const arena = arenaFor(wasm);
  const scratch = wasm.convBackwardScratch(...geometryArgs(g));
  arena.begin(2 * inSize + 2 * wSize + K + R * P + scratch + 8 * K + outSize + 16);
  const x = arena.operand(input, inSize), w = arena.operand(W, wSize), d = arena.operand(dOut, outSize), dw = arena.operand(dW, wSize);
  const dbias = arena.operand(db, K), col = arena.take(R * P), dcol = arena.take(scratch), pack = arena.take(8 * K);
  const dx = dInput ? arena.operand(dInput, inSize) : 0;
  // with a partner, it computes the input gradient (about half the work) while this thread computes the kernel and
  // bias gradients: by task, not by samples, so the kernel gradient's sum over the samples keeps its order
  const split = dInput ? splitAt(2, g.batch * K * R * P, 1) : 2;
  together(split, 2, 'convBackwardInput', () => [4 * dx, 4 * w, 4 * d, 4 * dcol, 4 * pack, ...geometryArgs(g)],
    () => wasm.convBackward(dInput && split === 2 ? 4 * dx : 0, 4 * dw, 4 * dbias, 4 * x, 4 * w, 4 * d, 4 * col, 4 * dcol, 4 * pack,
      ...geometryArgs(g)));
  arena.result(dW, dw, wSize);
  arena.result(db, dbias, K);
  if (dInput) arena.result(dInput, dx, inSize);
}

/** y = max(x, 0) (NaN stays NaN), in WebAssembly (resident arrays in place). */
export function wasmRelu(y: Float32Array, x: Float32Array, n: number): void {
  const wasm = wasmModule()!;
  const arena = arenaFor(wasm);
  arena.begin(2 * n);
  const a = arena.operand(x, n), b = arena.operand(y, n, false);
  wasm.relu(4 * b, 4 * a, n);
  arena.result(y, b, n);
}

/** dx = x > 0 ? dOut : x is NaN ? NaN : 0, in WebAssembly (ops/activations.ts (1); resident arrays in place). */
export function wasmReluBackward(dx: Float32Array, x: Float32Array, dOut: Float32Array, n: number): void {
  const wasm = wasmModule()!;
  const arena = arenaFor(wasm);
  arena.begin(3 * n);
  const a = arena.operand(x, n), d = arena.operand(dOut, n), r = arena.operand(dx, n, false);
  wasm.reluBackward(4 * r, 4 * a, 4 * d, n);
  arena.result(dx, r, n);
}

/** maxPoolKernel in WebAssembly (same first-maximum and NaN rules; resident arrays in place). */
export function wasmMaxPool(out: Float32Array, argmax: Int32Array | null, x: Float32Array, g: MaxPoolGeometry): void {
  const wasm = wasmModule()!;
  const n = g.maps * g.height * g.width, m = g.maps * g.outHeight * g.outWidth;
  const arena = arenaFor(wasm), heap = arena.begin(n + 2 * m);
  const a = arena.operand(x, n), o = arena.operand(out, m, false), w = arena.take(m);
  wasm.maxPool(4 * o, 4 * w, 4 * a, g.maps, g.height, g.width, g.sizeH, g.sizeW, g.strideH, g.strideW, g.outHeight, g.outWidth);
  arena.result(out, o, m);
  if (argmax) argmax.set(new Int32Array(heap.buffer, 4 * w, m));
}

/** The WebAssembly kernels behind the FastKernels seam (kernels/select.ts hands them to the ops). */
/** One optimizer update in WebAssembly (the same bits as nn/optimizers.ts's loop): w, g, a, b in; w, a, b out (and g = 0
 *  when clear). */
export function wasmOptimizerStep(rule: OptimizerRule, w: Float32Array, g: Float32Array, a: Float32Array | null, b: Float32Array | null,
  h: OptimizerHyper, clear = false, rows = 0): void {
  const wasm = wasmModule()!, n = w.length, slots = rule === 'adam' ? 2 : rule === 'momentum' ? 1 : 0;
  const arena = arenaFor(wasm);
  arena.begin((2 + slots) * (n + 4));
  const pw = arena.operand(w, n), pg = arena.operand(g, n), pa = slots > 0 ? arena.operand(a!, n) : 0, pb = slots > 1 ? arena.operand(b!, n) : 0;
  // the arena and resident blocks round every operand up to 4 values: the last vector's extra lanes are computed and
  // not copied out (a resident block's padding is never read as a value)
  // element by element, so a large update splits with a kernel thread (the same bits): a value costs about the time of 16
  // multiply-adds, and it splits from 2^16 values (it follows the backward's calls, the helper still spinning)
  const code = rule === 'sgd' ? 0 : rule === 'momentum' ? 1 : 2, n4 = (n + 3) & ~3;
  const hyper = [h.learningRate, h.decay, h.momentum, h.beta1, h.beta2, h.correction1, h.correction2, h.epsilon, clear ? 1 : 0];
  // a dense layer's weights [units, inputs] split where its products do (ownerSplit), so each thread updates the rows it
  // computed the gradient of (they stay in its core's cache); the update is value by value, so any split gives the same bits
  let split = splitAt(n4, 16 * n4, 4, splitMinWork / 8);
  if (split < n4 && rows > 1 && n % rows === 0) {
    const units = ownerSplit(rows, Infinity);
    split = units < rows ? units * (n / rows) : n4;
  }
  together(split, n4, 'optimizerStep',
    () => [code, 4 * (pw + split), 4 * (pg + split), slots > 0 ? 4 * (pa + split) : 0, slots > 1 ? 4 * (pb + split) : 0, n4 - split, ...hyper],
    () => wasm.optimizerStep(code, 4 * pw, 4 * pg, 4 * pa, 4 * pb, split, h.learningRate, h.decay, h.momentum, h.beta1, h.beta2,
      h.correction1, h.correction2, h.epsilon, clear ? 1 : 0));
  arena.result(w, pw, n);
  if (clear) arena.result(g, pg, n);
  if (slots > 0) arena.result(a!, pa, n);
  if (slots > 1) arena.result(b!, pb, n);
}

/** dst += src over the first n values, in WebAssembly (then src = 0 there when clear). */
export function wasmAddInto(dst: Float32Array, src: Float32Array, n: number, clear = false): void {
  const wasm = wasmModule()!;
  const arena = arenaFor(wasm);
  arena.begin(2 * n);
  const d = arena.operand(dst, n), s = arena.operand(src, n);
  wasm.addInto(4 * d, 4 * s, n, clear ? 1 : 0);
  arena.result(dst, d, n);
  if (clear) arena.result(src, s, n);
}

/** dst's first count·size values = the samples rows[0..count) of src (size values each), when dst, src and rows are all
 *  resident arrays (rows: sample numbers stored as float32 integers' int32 bits, see gatherIndex); false (nothing
 *  written) otherwise. */
export function wasmGatherRows(dst: Float32Array, src: Float32Array, rows: Float32Array, count: number, size: number): boolean {
  const wasm = wasmModule()!;
  const d = residentIndex(dst, count * size), s = residentIndex(src, 0), r = residentIndex(rows, count);
  if (d < 0 || s < 0 || r < 0) return false;
  wasm.gatherRows(4 * d, 4 * s, 4 * r, count, size);
  return true;
}

export const wasmKernels: FastKernels = {
  gemm: (layout, M, N, K, A, aOff, B, bOff, C, cOff, accumulate) =>
    withWasm(() => wasmGemm(layout, M, N, K, A, aOff, B, bOff, C, cOff, accumulate)),
  denseForward: (y, x, W, b, g) => withWasm(() => wasmDenseForward(y, x, W, b, g)),
  denseBackward: (dX, dW, db, x, W, dOut, g, split) => withWasm(() => wasmDenseBackward(dX, dW, db, x, W, dOut, g, split)),
  convForward: (out, input, W, bias, g) => withWasm(() => wasmConvForward(out, input, W, bias, g)),
  convForwardFused: (out, input, W, bias, g, fuse) =>
    g.strideH === 1 && g.strideW === 1 && (fuse.relu || !fuse.pool) && withWasm(() => wasmConvForward(out, input, W, bias, g, fuse)),
  convBackward: (dInput, dW, db, input, W, dOut, g) => withWasm(() => wasmConvBackward(dInput, dW, db, input, W, dOut, g)),
  maxPool: (out, argmax, x, g) => withWasm(() => wasmMaxPool(out, argmax, x, g)),
  relu: (y, x, n) => withWasm(() => wasmRelu(y, x, n)),
  reluBackward: (dx, x, dOut, n) => withWasm(() => wasmReluBackward(dx, x, dOut, n)),
  optimizerStep: (rule, w, g, a, b, h, clear, rows) => withWasm(() => wasmOptimizerStep(rule, w, g, a, b, h, clear, rows)),
  addInto: (dst, src, n, clear) => withWasm(() => wasmAddInto(dst, src, n, clear)),
  gatherRows: (dst, src, rows, count, size) => wasmGatherRows(dst, src, rows, count, size),
};
