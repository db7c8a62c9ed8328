// The page's side of the class map's worker (lib/embed.worker.ts): projections are computed there, one at a time, so
// a UMAP of 2,000 digits (seconds) never freezes the page. Results are kept for the page's life (one model, one
// layer, one method: one picture), so going back to a layer draws it at once. A view asks with request() and lets go
// with release(): a job nobody wants any more is dropped from the queue, or, when it is running, the worker is ended.
// A PCA the page waits for first may be asked `here`: computed on the page's thread at once (~0.1–0.3 s for 2,000
// digits), because starting the worker (its code, the kernels, the model and 6 MB of digits) alone takes about as long.
import { modelToJSON, type Sequential, type Embedding, type Projection } from '../../../../../core/index.js';
import type { TestSet } from './data';
import { project, type Projected } from './project';
export type { Projected };

export type EmbedRequest =
  | { type: 'model'; id: number; json: string }
  | { type: 'digits'; digits: TestSet }
  | { type: 'job'; job: number; model: number; at: number; method: Projection };
export type EmbedReply = { type: 'done'; job: number; embedding: Embedding; purity: number } | { type: 'failed'; job: number; message: string };

interface Job { id: number; key: string; model: Sequential; at: number; method: Projection; wanted: number; resolve: (p: Projected) => void; reject: (e: Error) => void; promise: Promise<Projected> }

const KEEP = 40; // finished pictures kept (each ~2,000 × 2 float64s plus PCA's directions)
const modelIds = new WeakMap<Sequential, number>();
let nextModel = 1, nextJob = 1;
const idOf = (model: Sequential) => { let id = modelIds.get(model); if (id === undefined) { id = nextModel++; modelIds.set(model, id); } return id; };

class Projector {
  private worker: Worker | null = null;
  private known = new Set<number>(); // models (and the digits, as 0) this worker has
  private queue: Job[] = [];
  private running: Job | null = null;
  private done = new Map<string, Projected>();

  /** Start the worker (loading its code takes a moment), e.g. while the digits are being fetched. */
  warm(): void { this.worker ??= this.start(); }

  /** The projection of `set` at index `at` of `model` (0: the pixels), computed in the worker or kept from before;
   *  `here` (PCA only: UMAP takes seconds): computed on the page's thread now unless the worker is already on it. */
  request(set: TestSet, model: Sequential, at: number, method: Projection, here = false): { promise: Promise<Projected>; release: () => void } {
    const key = `${idOf(model)}/${at}/${method}`;
    const kept = this.done.get(key);
    if (kept) return { promise: Promise.resolve(kept), release: () => {} };
    if (here && method === 'pca' && this.running?.key !== key) {
      try {
        const result = project(model, set, at, method);
        this.keep(key, result);
        for (const waiting of this.queue.filter((j) => j.key === key)) waiting.resolve(result); // asked before, not started
        this.queue = this.queue.filter((j) => j.key !== key);
        return { promise: Promise.resolve(result), release: () => {} };
      } catch (error) { return { promise: Promise.reject(error as Error), release: () => {} }; }
    }
    let job = this.running?.key === key ? this.running : this.queue.find((j) => j.key === key);
    if (!job) {
      let resolve!: (p: Projected) => void, reject!: (e: Error) => void;
      const promise = new Promise<Projected>((yes, no) => { resolve = yes; reject = no; });
      job = { id: nextJob++, key, model, at, method, wanted: 0, resolve, reject, promise };
      this.queue.push(job);
      this.next(set);
    }
    const claimed = job;
    claimed.wanted++;
    let released = false;
    return { promise: claimed.promise, release: () => { if (!released) { released = true; this.release(claimed); } } };
  }

  private keep(key: string, result: Projected): void {
    this.done.set(key, result);
    if (this.done.size > KEEP) this.done.delete(this.done.keys().next().value!);
  }

  private release(job: Job): void {
    if (--job.wanted > 0) return;
    const cancelled = new Error('projection no longer wanted');
    if (this.running === job) { this.worker?.terminate(); this.worker = null; this.known.clear(); this.running = null; job.reject(cancelled); this.next(null); }
    else if (this.queue.includes(job)) { this.queue = this.queue.filter((j) => j !== job); job.reject(cancelled); }
  }

  private set: TestSet | null = null;
  private next(set: TestSet | null): void {
    if (set) this.set = set;
    if (this.running || !this.queue.length || !this.set) return;
    const job = this.queue.shift()!;
    this.running = job;
    const worker = (this.worker ??= this.start());
    if (!this.known.has(0)) { worker.postMessage({ type: 'digits', digits: this.set } satisfies EmbedRequest); this.known.add(0); }
    const id = idOf(job.model);
    if (!this.known.has(id)) { worker.postMessage({ type: 'model', id, json: modelToJSON(job.model) } satisfies EmbedRequest); this.known.add(id); }
    worker.postMessage({ type: 'job', job: job.id, model: id, at: job.at, method: job.method } satisfies EmbedRequest);
  }

  private start(): Worker {
    const worker = new Worker(new URL('../../embed.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<EmbedReply>) => {
      const job = this.running, reply = event.data;
      if (worker !== this.worker || !job || reply.job !== job.id) return;
      this.running = null;
      if (reply.type === 'done') {
        const result = { embedding: reply.embedding, purity: reply.purity };
        this.keep(job.key, result);
        job.resolve(result);
      } else job.reject(new Error(reply.message));
      this.next(null);
    };
    worker.onerror = (event) => {
      if (worker !== this.worker) return;
      const job = this.running;
      this.worker = null; this.known.clear(); this.running = null; worker.terminate();
      job?.reject(new Error(`the projection worker stopped: ${event.message || 'unknown error'}`));
      this.next(null);
    };
    return worker;
  }
}

/** The app's one projector. */
export const projector = new Projector();
