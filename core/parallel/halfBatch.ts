// core/parallel/halfBatch.ts: data-parallel training on two threads, with the same results as one.
// HalfBatchHelper implements nn's ShardRunner (and ForwardRunner): a batch's gradient is the sum of its chunks'
// gradients (a few samples each), each computed from zero and summed in chunk order (nn/shards.ts). Here the trainer
// and a helper thread claim the chunks through one Atomics counter, each into its own gradient slot, and the trainer
// sums the slots in chunk order whoever computed them, so the weights are bit-identical to one thread's. A thread
// pre-empted by another process holds the other back by at most a chunk: the other keeps claiming, and the trainer
// computes itself a chunk the helper claimed but has not finished well past a chunk's usual time.
// The helper (a Node worker_thread or a Web Worker) shares memory with the trainer: the trainer writes the
// weights and the batch, bumps a counter and wakes it (Atomics.notify); the helper writes back each chunk's
// gradients and loss and marks it done. No message is copied per step. The same helper also runs forward passes,
// so Sequential.predict can split each chunk of samples across both threads.
import { Sequential, type ForwardRunner, modelFingerprint } from '../nn/model.js';
import { type LayerConfig, usesBatchStatistics } from '../nn/layers.js';
import { shardStep, ChunkWork, chunkCount, chunkStart, addChunk, type Shard, type ShardRunner } from '../nn/shards.js';
import { seeded } from '../random.js';
import { sizeOf } from '../tensor.js';
import { kernels, setKernels, residentArray, type KernelName } from '../kernels/select.js';
import { compiledWasmModule, compiledSharedWasmModule, adoptWasmModule } from '../kernels/wasm.js';

// the control slots (Int32), one list for both sides; DEAD is set by whoever watches the thread (parallel/host.ts)
const REQUEST = 0, DONE = 1, COUNT = 2, DIVISOR = 3, HAS_SEED = 5, LOSS = 6, FAILED = 7, MICROS = 9, MODE = 10, WARP = 11,
  DEAD = 12, STARTED = 13, DIRECT = 15, OWN = 16, NEXT = 17, CHUNKS = 18, CHUNK = 24, QUIT = -1;
// SEEDS + k (after the chunk states): chunk k's seed (nn/shards.ts chunkRandom) when HAS_SEED
// NEXT: the next chunk to claim (Atomics.add by either thread; ≥ CHUNKS: none left). CHUNK + k: chunk k's state, reset to
// RUNNING when the request is posted; a chunk the trainer claimed itself is never touched by the helper. The helper, done
// with a chunk it claimed, moves it RUNNING → HELPER_DONE; the trainer, tired of waiting, RUNNING → TAKEN (and computes
// it itself): whoever wins the compare-exchange decides, and the loser's result is dropped (the same bits anyway).
const RUNNING = 0, HELPER_DONE = 1, TAKEN = 2, HELPER_FAILED = 3;
/** Where a request, its answer and the chunk counter sit in HelperInit.control (Int32), for tests that play a helper. */
export const CONTROL_SLOTS = { request: REQUEST, done: DONE, next: NEXT, chunks: CHUNKS, started: STARTED } as const;
// STARTED: the last request the helper began. It begins request r by the exchange STARTED r − 1 → r, before it reads
// anything of it; a request it has not begun when the trainer needs it idle again (asleep, or its core taken by another
// process: the trainer then computed every chunk itself) the trainer revokes by the same exchange and answers it itself
// (helperIdle), so the next batch is shared instead of run alone; the helper, losing the exchange, skips it.
// the trainer waits for a chunk the helper claimed before it ran out of chunks itself for this long, in its own chunks'
// usual time (the helper began it earlier, so it is late past one chunk's time), plus a little, before it takes it
const TAKE_AFTER_CHUNKS = 2, TAKE_SLACK_MS = 0.1;
// OWN: the request whose own half the trainer has begun (stored right after it posts). A helper done with its half
// while the trainer has not even begun its own was woken onto the trainer's core (the other one busy with another
// process) and the trainer is parked behind it: the helper must not spin then, or the trainer waits that much longer
// DIRECT: the trainer wrote this request's weights straight into the helper's parameters and reads its gradients from
// them (HelperArrays), so the helper copies neither
/** Bytes of the shared buffer holding the helper's last error message (UTF-8, zero-terminated). */
const MESSAGE_BYTES = 1024;
const GRADIENTS = 0, FORWARD = 1;
// how long a waiting thread spins before it sleeps (a futex wake-up costs ~0.1 ms on this machine). Spinning pays only
// while the other thread runs on the other core: when a third process holds a core, the two threads share one, and a
// spinning thread holds the core the other needs. So the trainer spins only while its helper is within its usual time
// (the last half's time + SPIN_SLACK_MS), and the helper, after a half, only for HELPER_SPIN_MS (when both run, the
// trainer's next request follows its wake-up by its update and the next batch's gathering: 80–140 µs, 90 % within 160 µs
// for the cnn, 0.4 ms leaves room for the helper's own "done"), and not at all after the trainer took a half back (the trainer was not waiting for it then) or
// while the trainer has not begun its own half (OWN: the trainer is parked behind the helper on one core). Measured
// with timestamps on both sides: with a third process on one core, the helper woke on the trainer's core, ran its half
// and then spun 2 ms while the trainer, parked behind it, could not post the next request.
const SPIN_MS = 2, SPIN_SLACK_MS = 0.3, HELPER_SPIN_MS = 0.4;
/** The helper's warm-up before it reports ready (warmUp): at most this long, and this many chunks. */
const WARM_UP_MS = 400, WARM_UP_STEPS = 300;

/** What the helper thread gets once: the model (architecture and weights) and the shared buffers. */
export interface HelperInit {
  type: 'convlab-half-batch-helper';
  /** The architecture (the weights travel in shared memory with every request). */
  model: { inputShape: number[]; layers: LayerConfig[] };
  /** The trainer's kernels: both threads must round the same way. */
  kernels: KernelName;
  /** The trainer's compiled WebAssembly kernels (shares their optimised code), when it uses them. */
  wasm: WebAssembly.Module | null;
  /** Their shared-memory build, which the trainer runs where it keeps resident arrays (Node): the helper does too. */
  wasmShared: WebAssembly.Module | null;
  control: SharedArrayBuffer; inputs: SharedArrayBuffer; labels: SharedArrayBuffer;
  weights: SharedArrayBuffer; grads: SharedArrayBuffer; lossSum: SharedArrayBuffer; outputs: SharedArrayBuffer;
  /** The most samples a request holds. */
  maxCount: number;
  /** Per-sample distortions (4 doubles each) for augmented training: the helper warps the chunks it computes. */
  warp: SharedArrayBuffer;
  /** Why the helper failed or died (UTF-8, zero-terminated), for the trainer's error message. */
  message: SharedArrayBuffer;
}

/** The helper's own parameter arrays (`values`, one per parameter in model.params() order) and gradient slots (`grads`:
 *  chunk k's gradient of parameter i at k × parameters + i, for as many chunks as its largest batch splits into), when
 *  they live in shared memory (Node: resident arrays in its kernels' shared WebAssembly memory): the helper hands them
 *  to the trainer once (serveHalfBatches' `ready`), and the trainer then writes the weights straight into them and reads
 *  the gradients from them. That saves the helper two copies of every parameter per chunk on the path the trainer
 *  waits for. The helper never replaces these arrays; it writes the weights' copies only while idle (the trainer posts
 *  a request only then), and a slot only for a chunk it claimed, which the trainer reads (and zeroes) once marked done. */
export interface HelperArrays { values: Float32Array[]; grads: Float32Array[] }

/** Mark the helper thread dead (it exited or crashed) and wake a trainer waiting for it; `why` reaches its error. */
export function markHelperDead(init: Pick<HelperInit, 'control' | 'message'>, why: string): void {
  const control = new Int32Array(init.control);
  if (Atomics.load(control, DEAD)) return; // the first reason (a crash) stays; the exit that follows adds nothing
  writeMessage(init.message, why);
  Atomics.store(control, DEAD, 1);
  Atomics.notify(control, DONE);
}

function writeMessage(buffer: SharedArrayBuffer, text: string): void {
  const bytes = new Uint8Array(buffer), encoded = new TextEncoder().encode(text).subarray(0, MESSAGE_BYTES - 1);
  bytes.set(encoded); bytes[encoded.length] = 0;
}

function readMessage(buffer: Uint8Array): string {
  const end = buffer.indexOf(0);
  return new TextDecoder().decode(buffer.slice(0, end < 0 ? buffer.length : end));
}

/** The thread the helper runs on: a Node Worker or a Web Worker (both have postMessage and terminate). */
export interface HelperThread {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** True where threads can share memory: Node, or a cross-origin-isolated page (COOP/COEP headers). */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return false;
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  return isolated !== false;
}

function sharedFloats(n: number): SharedArrayBuffer { return new SharedArrayBuffer(Math.max(n, 1) * 4); }

/** The trainer's side: sends the second half of every batch to a helper thread and collects its gradients
 *  (training, `start`/`finish`) or its outputs (`predict`, `startForward`/`finishForward`). */
export class HalfBatchHelper implements ShardRunner, ForwardRunner {
  readonly fingerprint: string;
  private readonly message: Uint8Array;
  private readonly control: Int32Array;
  private readonly inputs: Float32Array;
  private readonly labels: Int32Array;
  private readonly weights: Float32Array;
  private readonly grads: Float32Array;
  private readonly lossSum: Float64Array;
  private readonly outputs: Float32Array;
  private readonly warp: Float64Array;
  private readonly kernelSet: KernelName;
  /** The most chunks a batch splits into (nn/shards.ts chunkCount of maxCount samples): the helper's gradient slots. */
  private readonly maxChunks: number;
  private mode = GRADIENTS;
  private sequence = 0;
  private pending = false;
  /** When the last request was posted (performance.now()). */
  private posted = 0;
  private closed = false;
  /** The helper's own parameters and gradient slots, once it has shared them (useHelperArrays). */
  private direct: HelperArrays | null = null;
  /** The batch being computed, its chunk count, and whether the helper shares it (false: it was still busy, this
   *  thread computes every chunk). */
  private shard: Shard | null = null;
  private chunks = 0;
  private shared = false;
  /** This thread's gradient slots for chunks 1.. (chunk 0 goes into the model's own gradients) and its scratch. */
  private slots: Float32Array[][] = [];
  private work: ChunkWork | null = null;
  /** Which chunks this thread computed (the rest the helper did), and their loss sums and right answers. */
  private own: Uint8Array;
  private chunkLoss: Float64Array;
  private chunkRight: Int32Array;
  /** This thread's usual time for one chunk (ms): how long it waits for a chunk the helper holds before taking it. */
  private chunkMs = 2;
  /** Chunks this thread took from the helper, steps it ran alone because the helper was still busy, and requests the
   *  helper never began that this thread revoked (helperIdle). */
  taken = 0;
  alone = 0;
  revoked = 0;

  /** Set up the shared buffers for `model` (batches of at most `maxCount` samples) and send them. */
  constructor(private readonly thread: HelperThread, readonly model: Sequential, readonly maxCount: number,
    private readonly timeoutMs = 120_000) {
    if (!sharedMemoryAvailable()) throw new Error('HalfBatchHelper: this runtime cannot share memory between threads (SharedArrayBuffer needs a cross-origin-isolated page)');
    if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError(`HalfBatchHelper: maxCount must be a positive integer, got ${maxCount}`);
    if (usesBatchStatistics(model.configs)) throw new RangeError('HalfBatchHelper: a batchNorm layer normalises with the statistics of the whole batch; train and predict this model on one thread');
    const parameters = model.parameterCount;
    this.fingerprint = modelFingerprint(model);
    this.maxChunks = chunkCount(model, maxCount);
    const init: HelperInit = {
      type: 'convlab-half-batch-helper', model: { inputShape: model.inputShape.slice(), layers: model.configs }, kernels: kernels(),
      wasm: kernels() === 'wasm' ? compiledWasmModule() : null, wasmShared: kernels() === 'wasm' ? compiledSharedWasmModule() : null,
      maxCount, control: new SharedArrayBuffer((CHUNK + 2 * this.maxChunks) * 4), inputs: sharedFloats(maxCount * sizeOf(model.inputShape)),
      labels: new SharedArrayBuffer(maxCount * 4), weights: sharedFloats(parameters), grads: sharedFloats(this.maxChunks * parameters),
      lossSum: new SharedArrayBuffer(16 * this.maxChunks), outputs: sharedFloats(maxCount * model.classes), warp: new SharedArrayBuffer(maxCount * 32),
      message: new SharedArrayBuffer(MESSAGE_BYTES),
    };
    this.message = new Uint8Array(init.message);
    this.kernelSet = init.kernels;
    this.control = new Int32Array(init.control);
    this.inputs = new Float32Array(init.inputs);
    this.labels = new Int32Array(init.labels);
    this.weights = new Float32Array(init.weights);
    this.grads = new Float32Array(init.grads);
    this.lossSum = new Float64Array(init.lossSum);
    this.outputs = new Float32Array(init.outputs);
    this.warp = new Float64Array(init.warp);
    this.own = new Uint8Array(this.maxChunks);
    this.chunkLoss = new Float64Array(this.maxChunks);
    this.chunkRight = new Int32Array(this.maxChunks);
    thread.postMessage(init);
  }

  /** Begin the batch with the model's current weights: the helper starts claiming its chunks at once, unless it is still
   *  busy with an earlier chunk this thread took from it (then this thread computes the whole batch, in finish()). With
   *  `warp` (4 numbers per sample from drawDistortion) each chunk is distorted by the thread that computes it. */
  start(shard: Shard): void {
    this.check(shard.count);
    this.shard = shard;
    this.chunks = chunkCount(this.model, shard.count);
    this.pending = true;
    this.shared = false;
    if (this.chunks > 1 && this.helperIdle()) this.share(shard, 0);
    else this.alone++;
  }

  /** Hand the helper the batch from chunk `next` on (the chunks before it this thread computed already). */
  private share(shard: Shard, next: number): void {
    const { inputs, labels, count, divisor, loss, seeds, warp } = shard;
    this.shared = true;
    this.post(GRADIENTS, inputs, count, () => {
      this.labels.set(labels.subarray(0, count));
      const c = this.control;
      c[WARP] = warp ? 1 : 0;
      if (warp) this.warp.set(warp.subarray(0, 4 * count));
      c[DIVISOR] = divisor; c[LOSS] = loss === 'mse' ? 1 : 0;
      c[HAS_SEED] = seeds === null ? 0 : 1;
      if (seeds) for (let k = 0; k < this.chunks; k++) c[CHUNK + this.maxChunks + k] = seeds[k] | 0;
      c[CHUNKS] = this.chunks;
      Atomics.store(c, NEXT, next);
      for (let k = 0; k < this.chunks; k++) Atomics.store(c, CHUNK + k, RUNNING);
    });
  }

  /** The helper's shared input buffer (ShardRunner.inputBuffer): a batch whose inputs are a view of it from its start is
   *  not copied. */
  inputBuffer(count: number): Float32Array | null {
    return Number.isInteger(count) && count >= 0 && count <= this.maxCount ? this.inputs : null;
  }

  /** Start the helper on the forward pass (inference) of `count` samples with the current weights. */
  startForward(inputs: Float32Array, count: number): void {
    this.check(count);
    // a chunk of a training batch this thread took from the helper may still be running there: let it end
    if (!this.helperIdle()) { this.pending = true; this.wait(); }
    this.post(FORWARD, inputs, count, () => {});
  }

  /** Wait for startForward's samples; copies their outputs ([count, classes]) into `into` at `offset`. */
  finishForward(into: Float32Array, offset: number): void {
    if (this.mode !== FORWARD) throw new Error('HalfBatchHelper: finishForward after start (use finish)');
    this.wait();
    into.set(this.outputs.subarray(0, this.control[COUNT] * this.model.classes), offset);
  }

  private check(count: number): void {
    if (this.closed) throw new Error('HalfBatchHelper: start after close');
    if (this.pending) throw new Error('HalfBatchHelper: start while a batch is still running');
    if (count > this.maxCount) throw new RangeError(`HalfBatchHelper: ${count} samples, more than the ${this.maxCount} it was set up for`);
    if (Atomics.load(this.control, DEAD)) this.dead();
    if (kernels() !== this.kernelSet) {
      throw new Error(`HalfBatchHelper: the kernels changed to '${kernels()}' after the helper was set up with '${this.kernelSet}' (the two threads would round differently); start a new helper`);
    }
  }

  /** True when the helper is idle: it answered the last request, or it has not begun it and never will. Called only
   *  between requests (not pending): the last request is then a batch whose every chunk is in (a forward pass is waited
   *  for), so one the helper has not begun (STARTED, which it sets by an exchange before it claims any chunk) this thread
   *  computed whole; it revokes it by the same exchange and answers it itself. Under load the helper often sleeps
   *  through a batch (its wake-up waits for a core), and without this the next batch ran alone as well. */
  private helperIdle(): boolean {
    const c = this.control, sequence = this.sequence;
    if (Atomics.load(c, DONE) === sequence) return true;
    if (Atomics.compareExchange(c, STARTED, sequence - 1, sequence) !== sequence - 1) return false;
    Atomics.store(c, DONE, sequence);
    this.revoked++;
    return true;
  }

  /** Hand the helper a request: the weights, the inputs, `fill`'s settings; only while it is idle (helperIdle). */
  private post(mode: number, inputs: Float32Array, count: number, fill: () => void): void {
    const direct = this.direct;
    let at = 0;
    this.model.params().forEach((p, i) => {
      if (direct) direct.values[i].set(p.value.data); else this.weights.set(p.value.data, at);
      at += p.value.size;
    });
    // a batch gathered straight into the shared inputs (inputBuffer) is already there
    if (inputs.buffer !== this.inputs.buffer || inputs.byteOffset !== this.inputs.byteOffset) this.inputs.set(inputs.subarray(0, count * sizeOf(this.model.inputShape)));
    fill();
    const c = this.control;
    c[COUNT] = count; c[MODE] = mode; c[DIRECT] = direct ? 1 : 0;
    this.mode = mode;
    this.sequence++;
    Atomics.store(c, REQUEST, this.sequence);
    Atomics.notify(c, REQUEST);
    Atomics.store(c, OWN, this.sequence);
    this.posted = performance.now();
    this.pending = true;
  }

  /** Compute this thread's chunks of the batch (all of them when the helper was busy), wait for the helper's (taking
   *  any it holds well past a chunk's usual time), and add the chunks' gradients into the model's in chunk order;
   *  returns the batch's loss sum and right count. */
  finish(): { lossSum: number; right: number } {
    const shard = this.shard;
    if (!shard || !this.pending || this.mode !== GRADIENTS) throw new Error('HalfBatchHelper: finish without start');
    this.shard = null;
    this.pending = false;
    const c = this.control, chunks = this.chunks, own = this.own, params = this.model.params();
    own.fill(0);
    if (!this.work) {
      this.work = new ChunkWork(this.model, this.maxCount);
      for (let k = 1; k < this.maxChunks; k++) this.slots[k] = params.map((p) => residentArray(p.value.size));
    }
    const work = this.work, modelGrads = params.map((p) => p.grad.data);
    const compute = (k: number) => {
      const began = performance.now();
      const result = work.run(shard, chunks, k, k === 0 ? modelGrads : this.slots[k]);
      const ms = performance.now() - began;
      this.chunkMs += 0.2 * (Math.min(ms, 3 * this.chunkMs) - this.chunkMs);
      this.chunkLoss[k] = result.lossSum; this.chunkRight[k] = result.right; own[k] = 1;
    };
    // the helper was still busy with a chunk this thread took from it: this thread begins alone, and hands the helper
    // the rest as soon as it is free
    for (let k = 0; !this.shared && k < chunks; k++) {
      if (k > 0 && chunks - k >= 2 && this.helperIdle()) { this.share(shard, k); this.pending = false; break; }
      compute(k);
    }
    if (this.shared) {
      for (let k = Atomics.add(c, NEXT, 1); k < chunks; k = Atomics.add(c, NEXT, 1)) compute(k);
      // the rest the helper claimed before this thread ran out, so each should end within a chunk's time
      const takeAt = performance.now() + TAKE_AFTER_CHUNKS * this.chunkMs + TAKE_SLACK_MS;
      for (let k = 0; k < chunks; k++) {
        if (own[k]) continue;
        for (;;) {
          const state = Atomics.load(c, CHUNK + k);
          if (state === HELPER_DONE) { this.chunkLoss[k] = this.lossSum[k]; this.chunkRight[k] = this.lossSum[this.maxChunks + k]; break; }
          if (state === HELPER_FAILED) { this.close(); throw new Error(`HalfBatchHelper: the helper thread failed: ${readMessage(this.message)}`); }
          if (Atomics.load(c, DEAD)) this.dead();
          if (performance.now() >= takeAt && Atomics.compareExchange(c, CHUNK + k, RUNNING, TAKEN) === RUNNING) {
            this.taken++;
            compute(k);
            break;
          }
        }
      }
    }
    // the sum in chunk order, (((g₀ + g₁) + g₂) + …), as nn/shards.ts LocalShardRunner's; this thread's slots are
    // cleared as they are added, and so are the helper's own (it zeroes those it copied out or that were taken)
    const direct = this.direct, P = params.length;
    let at = 0;
    params.forEach((p, i) => {
      const g = p.grad.data, n = g.length;
      if (!own[0]) {
        if (direct) { g.set(direct.grads[i]); direct.grads[i].fill(0); } else g.set(this.grads.subarray(at, at + n));
      }
      for (let k = 1; k < chunks; k++) {
        if (own[k]) addChunk(g, this.slots[k][i], true);
        else if (direct) addChunk(g, direct.grads[k * P + i], true);
        else addChunk(g, this.grads.subarray(k * this.model.parameterCount + at, k * this.model.parameterCount + at + n), false);
      }
      at += n;
    });
    let lossSum = this.chunkLoss[0], right = this.chunkRight[0];
    for (let k = 1; k < chunks; k++) { lossSum += this.chunkLoss[k]; right += this.chunkRight[k]; }
    return { lossSum, right };
  }

  /** Wait until the helper has answered the last request (a forward pass, or the end of a batch's chunks). */
  private wait(): void {
    if (!this.pending) throw new Error('HalfBatchHelper: finish without start');
    const c = this.control, deadline = performance.now() + this.timeoutMs;
    const dead = () => this.dead();
    // the halves take about as long as each other, so spin briefly before sleeping (a futex wake-up costs ~0.1 ms
    // here), but only until the helper's usual time has passed: past that it has lost its core, which we would hold
    const spinUntil = Math.min(performance.now() + SPIN_MS, this.posted + c[MICROS] / 1000 + SPIN_SLACK_MS);
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === this.sequence) break;
      if (Atomics.load(c, DEAD)) dead();
      const now = performance.now();
      // spin only while the helper computes this request: one that has not picked it up yet waits for a core (to wake
      // from sleep, or behind another thread: the page's own), and a spinning trainer would hold the core it needs
      if (now < spinUntil && Atomics.load(c, STARTED) === this.sequence) continue;
      if (now >= deadline) { this.close(); throw new Error(`HalfBatchHelper: the helper thread did not answer within ${this.timeoutMs / 1000} s`); }
      // the watcher of the thread (parallel/host.ts) wakes us at once if it dies; the slices bound the wait anyway
      Atomics.wait(c, DONE, done, Math.min(deadline - now, 250));
    }
    this.pending = false;
    if (c[FAILED]) { this.close(); throw new Error(`HalfBatchHelper: the helper thread failed: ${readMessage(this.message)}`); }
  }

  private dead(): never {
    this.close();
    throw new Error(`HalfBatchHelper: the helper thread ${readMessage(this.message) || 'died'}`);
  }

  /** Write the weights straight into the helper's own parameters and read its gradient slots there from now on (what
   *  its `ready` handed over; node.ts's startHalfBatchHelper passes it). Refused unless they match the model's. */
  useHelperArrays(arrays: HelperArrays): void {
    if (this.pending) throw new Error('HalfBatchHelper: useHelperArrays while a batch is running');
    const params = this.model.params();
    const fits = (list: unknown, copies: number) => Array.isArray(list) && list.length === copies * params.length &&
      list.every((a, i) => a instanceof Float32Array && a.buffer instanceof SharedArrayBuffer && a.length === params[i % params.length].value.size);
    if (!fits(arrays?.values, 1) || !fits(arrays?.grads, this.maxChunks)) {
      throw new RangeError(`HalfBatchHelper: the helper's arrays do not match the model's parameters (one shared Float32Array of the same size per parameter, and ${this.maxChunks} per parameter for the gradients)`);
    }
    this.direct = { values: arrays.values.slice(), grads: arrays.grads.slice() };
  }

  /** True once useHelperArrays has run: no copies of the weights and gradients through the helper's buffers. */
  get sharesArrays(): boolean { return this.direct !== null; }

  /** How long the helper computed its last request, in milliseconds (to see where a step's time goes). */
  get lastHelperMs(): number { return this.control[MICROS] / 1000; }

  /** Stop the helper thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, REQUEST, QUIT);
    Atomics.notify(this.control, REQUEST);
    this.thread.terminate();
  }
}

/** The helper thread's side: call with the HelperInit message; calls `ready` once set up (with its parameter arrays and
 *  gradient slots where they live in shared memory, for HalfBatchHelper.useHelperArrays), then blocks, serving requests
 *  until told to quit. */
export function serveHalfBatches(init: HelperInit, ready: (arrays: HelperArrays | null) => void = () => {}): void {
  if (init?.type !== 'convlab-half-batch-helper') throw new TypeError(`serveHalfBatches: expected a HelperInit message, got ${JSON.stringify(init)?.slice(0, 80)}`);
  if (init.wasm) adoptWasmModule(init.wasm, init.wasmShared ?? null);
  setKernels(init.kernels);
  const model = new Sequential({ inputShape: init.model.inputShape, layers: init.model.layers });
  const control = new Int32Array(init.control), weights = new Float32Array(init.weights), grads = new Float32Array(init.grads);
  const inputs = new Float32Array(init.inputs), labels = new Int32Array(init.labels), lossSum = new Float64Array(init.lossSum);
  const outputs = new Float32Array(init.outputs), warp = new Float64Array(init.warp), privateWarp = new Float64Array(warp.length);
  const message = init.message, maxCount = init.maxCount, maxChunks = chunkCount(model, maxCount);
  const params = model.params(), size = sizeOf(model.inputShape), parameters = model.parameterCount;
  const dOut = new Float32Array((labels.length || 1) * model.classes);
  const privateInputs = new Float32Array(inputs.length), privateLabels = new Int32Array(labels.length);
  warmUp(model, privateInputs, privateLabels, dOut, chunkStart(maxCount, maxChunks, 1));
  // chunk k's gradients accumulate in slots[k] (slot 0: the model's own); every slot is zero unless it holds a result
  const slots = Array.from({ length: maxChunks }, (_, k) => k === 0 ? params.map((p) => p.grad.data) : params.map((p) => residentArray(p.value.size)));
  const work = new ChunkWork(model, maxCount);
  let seen = 0, spin = 0;
  const shared = (a: Float32Array) => typeof SharedArrayBuffer === 'function' && a.buffer instanceof SharedArrayBuffer;
  ready(params.every((p) => shared(p.value.data)) && slots.every((slot) => slot.every(shared)) ? { values: params.map((p) => p.value.data), grads: slots.flat() } : null);
  for (;;) {
    // between the batches of an epoch the next request comes within a fraction of a millisecond: spin, then sleep
    const spinUntil = performance.now() + spin;
    while (Atomics.load(control, REQUEST) === seen && performance.now() < spinUntil);
    Atomics.wait(control, REQUEST, seen);
    const request = Atomics.load(control, REQUEST);
    if (request === QUIT) return;
    if (request === seen) continue;
    seen = request;
    // begin it, unless the trainer revoked it (it computed the batch alone while this thread slept: helperIdle)
    if (Atomics.compareExchange(control, STARTED, request - 1, request) !== request - 1) { spin = 0; continue; }
    const began = performance.now();
    const direct = control[DIRECT] === 1;
    let at = 0, computed = 0;
    if (control[MODE] === FORWARD) {
      try {
        if (!direct) for (const p of params) { p.value.data.set(weights.subarray(at, at + p.value.size)); at += p.value.size; }
        const count = control[COUNT];
        // work on private copies: typed-array copies out of shared memory take a slow path in V8
        privateInputs.set(inputs.subarray(0, count * size));
        outputs.set(model.inferBatch(privateInputs.subarray(0, count * size), count).subarray(0, count * model.classes));
        control[FAILED] = 0;
      } catch (error) {
        control[FAILED] = 1;
        writeMessage(message, error instanceof Error ? error.message : String(error));
      }
    } else {
      const count = control[COUNT], chunks = control[CHUNKS];
      let shard: Shard | null = null;
      for (let k = Atomics.add(control, NEXT, 1); k < chunks; k = Atomics.add(control, NEXT, 1)) {
        const slot = slots[k];
        try {
          if (!shard) { // the first chunk claimed: the weights and the batch's settings
            at = 0;
            if (!direct) for (const p of params) { p.value.data.set(weights.subarray(at, at + p.value.size)); at += p.value.size; }
            privateLabels.set(labels.subarray(0, count));
            if (control[WARP]) privateWarp.set(warp.subarray(0, 4 * count));
            shard = { inputs: privateInputs, labels: privateLabels, count, divisor: control[DIVISOR], loss: control[LOSS] === 1 ? 'mse' : 'crossEntropy',
              seeds: control[HAS_SEED] ? Array.from(control.subarray(CHUNK + maxChunks, CHUNK + maxChunks + chunks), (seed) => seed >>> 0) : null,
              warp: control[WARP] ? privateWarp : null };
          }
          const from = chunkStart(count, chunks, k), to = chunkStart(count, chunks, k + 1);
          // work on private copies: typed-array copies out of shared memory take a slow path in V8
          privateInputs.set(inputs.subarray(from * size, to * size), from * size);
          const result = work.run(shard, chunks, k, slot);
          computed++;
          if (!direct) {
            at = 0;
            for (const g of slot) { grads.set(g, k * parameters + at); g.fill(0); at += g.length; }
          }
          lossSum[k] = result.lossSum; lossSum[maxChunks + k] = result.right;
          // published by the exchange; a chunk the trainer took meanwhile is dropped (its slot cleared for the next)
          if (Atomics.compareExchange(control, CHUNK + k, RUNNING, HELPER_DONE) !== RUNNING && direct) for (const g of slot) g.fill(0);
        } catch (error) {
          for (const g of slot) g.fill(0);
          if (Atomics.compareExchange(control, CHUNK + k, RUNNING, HELPER_FAILED) === RUNNING) writeMessage(message, error instanceof Error ? error.message : String(error));
        }
      }
    }
    control[MICROS] = Math.round((performance.now() - began) * 1000);
    // spin for the next request only while the trainer runs on its own core (it began its own chunks, see OWN)
    spin = computed > 0 && Atomics.load(control, OWN) === seen ? HELPER_SPIN_MS : 0;
    Atomics.store(control, DONE, seen);
    Atomics.notify(control, DONE);
  }
}

/** Run chunks of seeded random samples for up to WARM_UP_MS before reporting ready, then pause: the helper's
 *  JavaScript (its own isolate) and WebAssembly code start in baseline tiers and are optimised on a background thread,
 *  which two busy threads on two cores would starve. Measured (the cnn, the helper's median half per 25 steps after
 *  start, four runs each): after 150 ms of zeros its first 25 halves took 1.09–1.94 ms and its next 25 1.00–1.17 ms,
 *  against 0.96–0.98 ms later on; after 400 ms of random samples 1.01–1.08 ms, then 0.96–0.98. */
function warmUp(model: Sequential, inputs: Float32Array, labels: Int32Array, dOut: Float32Array, count: number): void {
  if (count < 1) return;
  const random = seeded(0), n = count * sizeOf(model.inputShape), until = performance.now() + WARM_UP_MS;
  for (let i = 0; i < n; i++) inputs[i] = random.next();
  for (let i = 0; i < count; i++) labels[i] = random.int(model.classes);
  for (let i = 0; i < WARM_UP_STEPS && performance.now() < until; i++) {
    shardStep(model, inputs.subarray(0, n), labels.subarray(0, count), count, count, 'crossEntropy', dOut, random);
  }
  for (const p of model.params()) p.grad.data.fill(0);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50); // let the optimising compiler finish
}
