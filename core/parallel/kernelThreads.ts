// core/parallel/kernelThreads.ts: two threads inside one operation. The WebAssembly kernels run over a shared memory;
// a helper thread instantiates the same build over the same memory and waits. A large call (a matrix product, a batch
// convolution, a dense layer over a batch) gives the helper part of its rows or samples, a convolution's backward its input
// gradient (kernels/wasm.ts splits them):
// this thread writes the kernel's name and arguments into a small shared control block, bumps a counter and wakes the
// helper, computes its own part, then waits for the helper's counter. Rows and samples are independent sums, computed
// by the same code on either thread, so the results are the same bits as on one thread. No message is copied per call.
import { shareWasm, compiledSharedWasmModule, kernelThreadMemory, type KernelPartner, type SplitKernel } from '../kernels/wasm.js';
import type { HelperThread } from './halfBatch.js';

const SEQ = 0, DONE = 1, FAILED = 2, QUIT = 3, NAME = 4, ARGC = 5, CLAIM = 6;
// CLAIM: who runs the current part: OPEN until the helper (HELPER) or the calling thread (CALLER, once its own part is done
// and the helper has not begun) takes it, so a helper that the scheduler has parked never makes a call wait
const OPEN = 0, HELPER = 1, CALLER = 2;
const ARGS_BYTE = 64, MAX_ARGS = 24, MESSAGE_BYTE = ARGS_BYTE + 8 * MAX_ARGS, MESSAGE_BYTES = 512;
const CONTROL_BYTES = MESSAGE_BYTE + MESSAGE_BYTES;
const KERNELS: readonly SplitKernel[] = ['gemmXN', 'gemmNT', 'convForward', 'convForwardDirect', 'convBackwardInput', 'weightGradient', 'optimizerStep',
  'convForwardFused', 'convForwardTaps', 'gemmNTStrided'];
// how long a waiting thread spins before it sleeps: consecutive calls (a network's layers) follow within microseconds,
// and a futex wake-up costs ~0.1 ms on this machine
const SPIN_MS = 2;

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
  ready();
  let seen = 0;
  for (;;) {
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(control, SEQ) === seen && performance.now() < spinUntil);
    Atomics.wait(control, SEQ, seen);
    seen = Atomics.load(control, SEQ);
    if (Atomics.load(control, QUIT)) return;
    // the caller may have taken this part back (it ran it itself); then only report it done
    if (Atomics.compareExchange(control, CLAIM, OPEN, HELPER) === OPEN) try {
      exports[KERNELS[control[NAME]]](...Array.from(args.subarray(0, control[ARGC])));
    } catch (error) {
      const text = new TextEncoder().encode(error instanceof Error ? error.message : String(error)).subarray(0, MESSAGE_BYTES - 1);
      const bytes = new Uint8Array(init.control, MESSAGE_BYTE, MESSAGE_BYTES);
      bytes.set(text); bytes[text.length] = 0;
      Atomics.store(control, FAILED, 1);
    }
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}

/** The calling thread's side: hands part of large kernel calls to the helper (kernels/wasm.ts calls start/finish). */
export class KernelThreads implements KernelPartner {
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private seq = 0;
  private closed = false;
  constructor(private readonly thread: HelperThread, private readonly buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer);
    this.args = new Float64Array(buffer, ARGS_BYTE, MAX_ARGS);
  }
  /** How many calls the helper has been given (a part each). */
  get calls(): number { return this.closed ? this.seq - 1 : this.seq; }
  start(kernel: SplitKernel, args: number[]): void {
    if (this.closed) throw new Error('kernel threads: start after close');
    if (args.length > MAX_ARGS) throw new RangeError(`kernel threads: ${args.length} arguments, more than ${MAX_ARGS}`);
    const c = this.control;
    c[NAME] = KERNELS.indexOf(kernel); c[ARGC] = args.length;
    this.args.set(args);
    Atomics.store(c, CLAIM, OPEN);
    Atomics.store(c, SEQ, ++this.seq);
    Atomics.notify(c, SEQ);
  }
  reclaim(): boolean {
    return Atomics.compareExchange(this.control, CLAIM, OPEN, CALLER) === OPEN;
  }
  finish(): void {
    const c = this.control, spinUntil = performance.now() + SPIN_MS;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === this.seq) break;
      if (performance.now() < spinUntil) continue;
      Atomics.wait(c, DONE, done, 250);
    }
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
