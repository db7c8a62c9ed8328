// The page's side of model decoding: each choice of files goes to a fresh worker (lib/model.worker.ts), which is
// ended when it answers, when a newer choice replaces it, or after DECODE_TIME_LIMIT_MS. The page's thread only
// reads the files' bytes (after checkModelFileSize) and waits; it never parses or decodes them itself.
import { checkModelFileSize } from '../../../core/index.js';

export interface DecodeRequest { files: { name: string; bytes: Uint8Array }[] }
export type DecodeReply =
  | { ok: true; name: string; format: 'convlab' | 'tfjs' | 'onnx'; inputShape: number[]; types: string[]; json: string }
  | { ok: false; message: string };

export const DECODE_TIME_LIMIT_MS = 60_000;
let running: { worker: Worker; cancel: () => void } | null = null;

/** Decode `files` in a worker: the model as convlab JSON, or an Error with the decoder's message. */
export async function decodeModelFiles(files: File[]): Promise<Extract<DecodeReply, { ok: true }>> {
  for (const f of files) checkModelFileSize(f.name, f.size); // the CLI's cap, from file.size before anything is read
  const read = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
  running?.cancel();
  const worker = new Worker(new URL('./model.worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    const finish = () => { clearTimeout(timer); worker.terminate(); if (running?.worker === worker) running = null; };
    const timer = setTimeout(() => { finish(); reject(new Error(`decoding ${files.map((f) => f.name).join(', ')} took more than ${DECODE_TIME_LIMIT_MS / 1000} s: stopped`)); }, DECODE_TIME_LIMIT_MS);
    running = { worker, cancel: () => { finish(); reject(new Error('replaced by a newer choice of files')); } };
    worker.onmessage = (event: MessageEvent<DecodeReply>) => {
      finish();
      if (event.data.ok) resolve(event.data); else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => { finish(); reject(new Error(`cannot decode ${files.map((f) => f.name).join(', ')}: ${event.message || 'the decoder stopped'}`)); };
    worker.postMessage({ files: read } satisfies DecodeRequest, read.map((f) => f.bytes.buffer as ArrayBuffer));
  });
}
