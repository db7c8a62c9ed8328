// core/parallel/kernelThreads.ts: two threads inside one operation. The WebAssembly kernels run over a shared memory;
// a helper thread instantiates the same build over the same memory and waits. A call whose outputs are independent (the
// rows of a product, the samples of a batch convolution, an inference chunk) is cut into chunks of rows or samples that
// both threads claim through an Atomics counter (kernels/wasm.ts cuts them): the caller keeps claiming until none are
// left, then waits only for a chunk the helper is still running, so a helper that is asleep or parked behind another
// process costs the call little. Other calls (a convolution's backward, a dense layer's owner split) give the helper one
// part, which the caller takes back if the helper has not begun it.
// The caller writes the kernel's name and arguments into a small shared control block, bumps a counter and wakes the
// helper. Rows and samples are independent sums, computed by the same code on either thread and cut at multiples of the
// kernels' row tile, so the results are the same bits as on one thread whoever runs which chunk. No message is copied per call.
import { shareWasm, compiledSharedWasmModule, kernelThreadMemory, type ChunkedCall, type KernelPartner, type SplitKernel } from '../kernels/wasm.js';
import type { HelperThread } from './halfBatch.js';

const SEQ = 0, PART_DONE = 1, FAILED = 2, QUIT = 3, NAME = 4, ARGC = 5, CLAIM = 6;
// CLAIM: who runs the current part: UNCLAIMED until the helper (HELPER) or the calling thread (CALLER, once its own part is done
// and the helper has not begun) takes it, so a helper that the scheduler has parked never makes a call wait
const UNCLAIMED = 0, HELPER = 1, CALLER = 2;
// a chunked call: MODE = CHUNKED; NEXT = the call's tag (its SEQ & TAG_MASK) · 256 + the next unclaimed chunk, so a helper
// that wakes late for an earlier call cannot claim a chunk of a later one; CHUNKS, ROWS, CHUNK_ROWS, COUNT_ARG describe the
// cut, OUT_ARG, HELPER_OUT, ROW_BYTES where the helper computes a chunk whose output it copies into place (ChunkedCall);
// each chunk has a state word at STATE_BYTE: tag · 4 + OPEN (not finished), COMMITTING (the helper is copying it into
// place), DONE, or TAKEN (the caller took it over: the helper drops its copy)
const MODE = 7, NEXT = 8, CHUNKS = 9, COUNT_ARG = 11, CHUNK_ROWS = 12, ROWS = 13, OUT_ARG = 14, HELPER_OUT = 15, ROW_BYTES = 16;
const PARTS = 0, CHUNKED = 1, TAG_MASK = 0x7fffff;
const OPEN = 0, COMMITTING = 1, DONE = 2, TAKEN = 3;
/** At most this many chunks per call (NEXT's low byte, with room for the caller's one claim past the end). */
export const MAX_CHUNKS = 128;
const ARGS_BYTE = 128, MAX_ARGS = 24, STEP_BYTE = ARGS_BYTE + 8 * MAX_ARGS, MESSAGE_BYTE = STEP_BYTE + 8 * MAX_ARGS, MESSAGE_BYTES = 512;
const STATE_BYTE = MESSAGE_BYTE + MESSAGE_BYTES, CONTROL_BYTES = STATE_BYTE + 4 * MAX_CHUNKS, STATE = STATE_BYTE / 4;
/** The control block's chunk words (tests act as a helper that claims a chunk and stalls). */
export const CHUNK_CONTROL = { NEXT, STATE, TAG_MASK, OPEN, COMMITTING, DONE, TAKEN } as const;
const KERNELS: readonly SplitKernel[] = ['gemmXN', 'gemmNT', 'convForward', 'convForwardDirect', 'convBackwardInput', 'weightGradient', 'optimizerStep',
  'convForwardFused', 'convForwardTaps', 'gemmNTStrided'];
// how long a waiting thread spins before it sleeps: consecutive calls (a network's layers) follow within microseconds,
// and a futex wake-up costs ~0.1 ms on this machine
const SPIN_MS = 2;
// how long the helper spins for the next call after a chunked one (measured: conv-fwd two threads ÷ one, median of six
// interleaved rounds on the busy machine, 1.28× with 0.2 ms against 1.03× with SPIN_MS)
const CHUNKED_SPIN_MS = 0.2;
// how long the caller spins for a chunk the helper is running before it sleeps (a chunk it cannot take over)
const CHUNK_SPIN_MS = 0.3;
// a chunk the helper still holds this long after the caller ran out of chunks (at least STEAL_MIN_MS, else STEAL_CHUNKS
// of the caller's own chunk times) is taken over: the helper was pre-empted by another process
const STEAL_MIN_MS = 0.03, STEAL_CHUNKS = 1.5;

/** Chunk `i`'s arguments of a chunked call into `out`: every argument advanced by its step per row to the chunk's first
 *  row, and the row count its own (the last chunk may be shorter). One home for both threads. */
export function chunkArgs(out: number[], base: ArrayLike<number>, step: ArrayLike<number>, argc: number, countArg: number,
  rows: number, chunkRows: number, i: number): number[] {
  const first = i * chunkRows;
  out.length = argc;
  for (let j = 0; j < argc; j++) out[j] = base[j] + first * step[j];
  out[countArg] = Math.min(chunkRows, rows - first);
  return out;
}

/** What the helper thread gets once. */
export interface KernelHelperInit {
  type: 'convlab-kernel-helper';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
}

/** The helper's side: instantiate the kernels over the shared memory, call `ready`, then run calls until closed. */
export function serveKernels(init: KernelHelperInit, ready: () => void): void {
  const exports = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as Record<string, (...args: number[]) => void>;
  const control = new Int32Array(init.control), args = new Float64Array(init.control, ARGS_BYTE, MAX_ARGS);
  const steps = new Float64Array(init.control, STEP_BYTE, MAX_ARGS), chunkArgv: number[] = [];
  const fail = (error: unknown) => {
    const text = new TextEncoder().encode(error instanceof Error ? error.message : String(error)).subarray(0, MESSAGE_BYTES - 1);
    const bytes = new Uint8Array(init.control, MESSAGE_BYTE, MESSAGE_BYTES);
    bytes.set(text); bytes[text.length] = 0;
    Atomics.store(control, FAILED, 1);
  };
  ready();
  let seen = 0, spin = SPIN_MS;
  for (;;) {
    const spinUntil = performance.now() + spin;
    while (Atomics.load(control, SEQ) === seen && performance.now() < spinUntil);
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, QUIT)) return;
    spin = SPIN_MS;
    if (Atomics.load(control, MODE) === CHUNKED) {
      // after a chunked call the helper sleeps sooner: the caller never waits for it to wake (it claims the chunks itself
      // meanwhile), and a spinning helper holds a core that another process then takes from the caller
      spin = CHUNKED_SPIN_MS;
      // claim chunks of this call (its tag in NEXT) until none are left. The chunk's arguments are read before the claim:
      // a claim succeeds only while the call is open, and the caller writes the next call's description only after
      // closing this one (a chunk of a closed call may have been taken over, and its call returned)
      const tag = seen & TAG_MASK;
      for (;;) {
        const word = Atomics.load(control, NEXT), i = word & 255;
        if (word - i !== tag * 256 || i >= Atomics.load(control, CHUNKS)) break;
        const outArg = control[OUT_ARG], helperOut = control[HELPER_OUT], rowBytes = control[ROW_BYTES], kernel = exports[KERNELS[control[NAME]]];
        const argv = chunkArgs(chunkArgv, args, steps, control[ARGC], control[COUNT_ARG], control[ROWS], control[CHUNK_ROWS], i);
        const bytes = argv[control[COUNT_ARG]] * rowBytes, to = outArg >= 0 ? argv[outArg] : 0, state = STATE + i;
        if (Atomics.compareExchange(control, NEXT, word, word + 1) !== word) continue;
        if (outArg >= 0) argv[outArg] = helperOut;
        try { kernel(...argv); } catch (error) { fail(error); }
        // a chunk computed in the helper's block goes into place unless the caller took it over (or the call is over)
        if (outArg >= 0 && Atomics.compareExchange(control, state, tag * 4 + OPEN, tag * 4 + COMMITTING) === tag * 4 + OPEN) {
          new Uint8Array(init.memory.buffer).copyWithin(to, helperOut, helperOut + bytes);
        }
        if (outArg < 0 || Atomics.load(control, state) === tag * 4 + COMMITTING) {
          Atomics.store(control, state, tag * 4 + DONE);
          Atomics.notify(control, state);
        }
      }
      continue;
    }
    // the caller may have taken this part back (it ran it itself); then only report it done
    if (Atomics.compareExchange(control, CLAIM, UNCLAIMED, HELPER) === UNCLAIMED) try {
      exports[KERNELS[control[NAME]]](...Array.from(args.subarray(0, control[ARGC])));
    } catch (error) { fail(error); }
    Atomics.store(control, PART_DONE, seen);
    Atomics.notify(control, PART_DONE);
  }
}

/** The calling thread's side: hands part of large kernel calls to the helper (kernels/wasm.ts calls start/finish, or
 *  runChunks). */
export class KernelThreads implements KernelPartner {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly steps: Float64Array;
  private readonly argv: number[] = [];
  private readonly mine = new Uint8Array(MAX_CHUNKS);
  private seq = 0;
  private closed = false;
  /** Chunks of chunked calls since the start (tests and benches): run by the helper, claimed and run by this thread, and
   *  taken over by this thread from a helper that held them late. */
  readonly chunks = { helper: 0, caller: 0, taken: 0 };
  constructor(private readonly thread: HelperThread, private readonly buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer);
    this.args = new Float64Array(buffer, ARGS_BYTE, MAX_ARGS);
    this.steps = new Float64Array(buffer, STEP_BYTE, MAX_ARGS);
  }
  /** How many calls the helper has been given (a part or chunks each). */
  get calls(): number { return this.closed ? this.seq - 1 : this.seq; }
  private describe(kernel: SplitKernel, args: readonly number[]): void {
    if (this.closed) throw new Error('kernel threads: start after close');
    if (args.length > MAX_ARGS) throw new RangeError(`kernel threads: ${args.length} arguments, more than ${MAX_ARGS}`);
    const c = this.control;
    c[NAME] = KERNELS.indexOf(kernel); c[ARGC] = args.length;
    this.args.set(args);
  }
  private wake(mode: number): void {
    const c = this.control;
    Atomics.store(c, MODE, mode);
    Atomics.store(c, SEQ, ++this.seq);
    Atomics.notify(c, SEQ);
  }
  start(kernel: SplitKernel, args: number[]): void {
    this.describe(kernel, args);
    Atomics.store(this.control, CLAIM, UNCLAIMED);
    this.wake(PARTS);
  }
  reclaim(): boolean {
    return Atomics.compareExchange(this.control, CLAIM, UNCLAIMED, CALLER) === UNCLAIMED;
  }
  finish(): void {
    const c = this.control, spinUntil = performance.now() + SPIN_MS;
    for (;;) {
      const done = Atomics.load(c, PART_DONE);
      if (done === this.seq) break;
      if (performance.now() < spinUntil) continue;
      Atomics.wait(c, PART_DONE, done, 250);
    }
    this.rethrow();
  }
  runChunks(call: ChunkedCall, run: (...args: number[]) => void, done?: (first: number, rows: number) => void): void {
    const { kernel, args, helperArgs, step, countArg, rows, chunkRows, outArg } = call;
    const chunks = Math.ceil(rows / chunkRows);
    if (!(chunks >= 1 && chunks <= MAX_CHUNKS)) throw new RangeError(`kernel threads: ${chunks} chunks, expected 1 to ${MAX_CHUNKS}`);
    if (step.length !== args.length || helperArgs.length !== args.length) throw new RangeError('kernel threads: a chunked call\'s arguments, helper arguments and steps differ in length');
    this.describe(kernel, helperArgs);
    const c = this.control, tag = (this.seq + 1) & TAG_MASK, open = tag * 4 + OPEN;
    this.steps.set(step);
    c[COUNT_ARG] = countArg; c[ROWS] = rows; c[CHUNK_ROWS] = chunkRows; c[CHUNKS] = chunks;
    c[OUT_ARG] = outArg; c[HELPER_OUT] = call.helperOut; c[ROW_BYTES] = call.rowBytes;
    for (let i = 0; i < chunks; i++) c[STATE + i] = open;
    Atomics.store(c, NEXT, tag * 256);
    this.wake(CHUNKED);
    // mine[i]: MINE (this thread ran chunk i), SEEN (the helper's, finished and passed to `done` while this thread claimed)
    const mine = this.mine.fill(0, 0, chunks), MINE = 1, SEEN = 2;
    const rowsOf = (i: number) => Math.min(chunkRows, rows - i * chunkRows);
    const runHere = (i: number) => {
      const argv = chunkArgs(this.argv, args, step, args.length, countArg, rows, chunkRows, i);
      run(...argv);
      done?.(i * chunkRows, argv[countArg]);
    };
    // the helper's chunks finished so far, in order up to the first that is not, go to `done` between this thread's own
    // chunks (its copy out of a finished chunk then overlaps the helper's next one instead of following the call)
    let seen = 0;
    const passFinished = () => {
      for (; seen < chunks; seen++) {
        if (mine[seen]) continue;
        if (Atomics.load(c, STATE + seen) !== tag * 4 + DONE) break;
        mine[seen] = SEEN; this.chunks.helper++;
        done!(seen * chunkRows, rowsOf(seen));
      }
    };
    // claim until none are left (Atomics.add: the helper claims by compare-and-swap, this thread overshoots by one)
    let ran = 0, i: number, failed = true, takeOverError: unknown;
    const began = performance.now();
    try {
      while ((i = Atomics.add(c, NEXT, 1) - tag * 256) < chunks) {
        mine[i] = MINE; ran++; runHere(i);
        if (done) passFinished();
      }
      failed = false;
    } finally {
      // close the call to claims (if this thread's chunk failed, some are still open), then the helper's chunks: each is
      // waited for, or taken over (run here; the helper drops its copy) once it is late
      const claimed = Math.min(Atomics.exchange(c, NEXT, tag * 256 + 255) - tag * 256, chunks);
      const late = performance.now() + Math.max(STEAL_MIN_MS, ran ? (STEAL_CHUNKS * (performance.now() - began)) / ran : 0);
      for (let j = 0; j < claimed; j++) {
        if (mine[j]) continue;
        const spinUntil = performance.now() + CHUNK_SPIN_MS;
        for (;;) {
          const state = Atomics.load(c, STATE + j);
          if (state === tag * 4 + DONE) {
            this.chunks.helper++;
            if (done && !failed) {
              try { done(j * chunkRows, rowsOf(j)); } catch (error) { failed = true; takeOverError ??= error; }
            }
            break;
          }
          const now = performance.now();
          if (state === open && outArg >= 0 && (failed || now >= late)) {
            if (Atomics.compareExchange(c, STATE + j, open, tag * 4 + TAKEN) !== open) continue;
            if (!failed) {
              try { runHere(j); this.chunks.taken++; } catch (error) { failed = true; takeOverError ??= error; }
            }
            break;
          }
          if (now < (outArg >= 0 && state === open ? late : spinUntil)) continue;
          Atomics.wait(c, STATE + j, state, 250);
        }
      }
      this.chunks.caller += ran;
    }
    if (takeOverError !== undefined) throw takeOverError;
    this.rethrow();
  }
  private rethrow(): void {
    const c = this.control;
    if (Atomics.load(c, FAILED)) {
      const bytes = new Uint8Array(this.buffer, MESSAGE_BYTE, MESSAGE_BYTES), end = bytes.indexOf(0);
      Atomics.store(c, FAILED, 0);
      throw new Error(`kernel threads: the helper thread failed: ${new TextDecoder().decode(bytes.slice(0, end < 0 ? MESSAGE_BYTES : end))}`);
    }
  }
  /** Back to one thread (a private WebAssembly instance) and end the helper. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    shareWasm(null, null);
    Atomics.store(this.control, QUIT, 1);
    Atomics.store(this.control, SEQ, ++this.seq);
    Atomics.notify(this.control, SEQ);
    this.thread.terminate();
  }
}

/** The shared memory, control block and helper init for `startKernelThreads` (the platform starts the thread). */
export function kernelHelperInit(): KernelHelperInit {
  const module = compiledSharedWasmModule();
  if (!module) throw new Error('startKernelThreads: the WebAssembly SIMD kernels cannot load here');
  if (typeof SharedArrayBuffer !== 'function') throw new Error('startKernelThreads: this runtime cannot share memory between threads');
  const memory = kernelThreadMemory();
  return { type: 'convlab-kernel-helper', module, memory, control: new SharedArrayBuffer(CONTROL_BYTES) };
}

/** Start sharing: from now on large kernel calls split across `thread` (which runs serveKernels on `init`). */
export function beginKernelThreads(thread: HelperThread, init: KernelHelperInit): KernelThreads {
  const threads = new KernelThreads(thread, init.control);
  shareWasm(init.memory, threads);
  return threads;
}
