// @ts-check
// exercises/supervisor.mjs: a worker thread of the checker's process that owns the learners' child processes.
// The checker (engine.ts) runs the check in its own thread and calls the learner's functions synchronously: it
// posts a request here and sleeps on a shared flag until the answer is posted back. This thread, whose event
// loop keeps running meanwhile, starts each child (exercises/child.ts) in its own process group with a memory
// limit, forwards calls, caps what the child prints, and on a time limit kills the whole group (kill(-pid)), so
// grandchildren, timers and busy loops end with it. Plain JavaScript: it runs in a worker thread under any loader.
import { workerData } from 'node:worker_threads';
import { spawn } from 'node:child_process';

/** @type {{ signal: Int32Array; port: import('node:worker_threads').MessagePort; childScript: string; cwd: string }} */
const { signal, port, childScript, cwd } = workerData;

/** Post to the checker and wake it (the message is queued before the flag is set). */
function reply(message) {
  port.postMessage(message);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}

/**
 * @typedef {{ key: number; child: import('node:child_process').ChildProcess; pid: number; booted: boolean;
 *   onBoot: (() => void) | null; pending: { id: number; timer: NodeJS.Timeout } | null; printed: number; cut: boolean;
 *   stderrTail: string; memoryMb: number; outputCap: number; ended: boolean; killedFor: string | null; envKey: string }} Child
 */
/** @type {Map<number, Child>} */
const children = new Map();
/** @type {Child | null} a child started ahead of time, waiting for the next attempt */
let spare = null;

/** Kill a child's whole process group (the child and everything it started that did not leave the group). */
function killGroup(state, why) {
  if (!state.killedFor) state.killedFor = why;
  try { process.kill(-state.pid, 'SIGKILL'); } catch { /* already gone */ }
}

/** The writable address space Node reserves at start, before any of the learner's code: RLIMIT_DATA counts it too.
 *  Node 20 and 22 start under 256 MB; Node 24 needs 560–600 MB (its code range: under less it dies with "Failed to
 *  reserve virtual memory for CodeRange", which read as the learner's code using too much memory). The V8 heap
 *  itself stays limited to memoryMb (--max-old-space-size). */
const RUNTIME_RESERVE_MB = 1024;

/** @returns {Child} */
function startChild(memoryMb, outputCap, env) {
  const node = process.execPath;
  const flags = [`--max-old-space-size=${memoryMb}`, '--import', 'tsx', childScript];
  // the memory limit: RLIMIT_DATA (private writable memory: the V8 heap, array buffers, WebAssembly memory) set by
  // the shell before it becomes node, the learner's memoryMb on top of what the runtime itself takes before any code
  // runs (RUNTIME_RESERVE_MB); the shell also starts the process group (detached) that node inherits
  const linux = process.platform === 'linux';
  const child = linux
    ? spawn('/bin/sh', ['-c', `ulimit -d ${(memoryMb + RUNTIME_RESERVE_MB) * 1024} && exec "$0" "$@"`, node, ...flags], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' })
    : spawn(node, flags, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced' });
  /** @type {Child} */
  const state = { key: -1, child, pid: child.pid ?? -1, booted: false, onBoot: null, pending: null, printed: 0, cut: false, stderrTail: '', memoryMb, outputCap, ended: false, killedFor: null, envKey: JSON.stringify(env) };
  const output = (stream) => (chunk) => {
    const text = chunk.toString('utf8');
    if (stream === 'stderr') state.stderrTail = (state.stderrTail + text).slice(-4000);
    if (state.key < 0) return; // a spare prints nothing anyone asked for
    if (state.printed < state.outputCap) {
      const shown = text.slice(0, state.outputCap - state.printed);
      state.printed += shown.length;
      reply({ type: 'output', key: state.key, stream, text: shown });
    }
    if (state.printed >= state.outputCap && !state.cut && text.length) {
      state.cut = true;
      reply({ type: 'output', key: state.key, stream, text: `\n[the rest of your output is not shown: more than ${Math.round(state.outputCap / 1024)} KB]\n` });
    }
  };
  child.stdout?.on('data', output('stdout'));
  child.stderr?.on('data', output('stderr'));
  child.on('message', (message) => onChildMessage(state, message));
  child.on('exit', (code, sig) => onExit(state, code, sig));
  child.on('error', () => onExit(state, null, null));
  return state;
}

/** What ended a child, as the checker reports it. */
function reasonOf(state, code, sig) {
  if (state.killedFor) return state.killedFor;
  const memory = /out of memory|allocation failed|heap limit|Cannot allocate memory/i.test(state.stderrTail) || sig === 'SIGABRT' || sig === 'SIGTRAP' || code === 134 || code === 133;
  if (memory) return 'memory';
  return `ended:${sig ?? `exit code ${code}`}`;
}

function onExit(state, code, sig) {
  if (state.ended) return;
  state.ended = true;
  const reason = reasonOf(state, code, sig);
  killGroup(state, reason); // grandchildren go with it
  if (spare === state) spare = null;
  if (state.pending) {
    clearTimeout(state.pending.timer);
    reply({ type: 'incident', key: state.key, id: state.pending.id, reason });
    state.pending = null;
  }
  children.delete(state.key);
}

function onChildMessage(state, message) {
  if (message === null || typeof message !== 'object') return;
  if (message.type === 'booted' && !state.booted) { state.booted = true; state.onBoot?.(); return; }
  const pending = state.pending;
  if (!pending) return; // nothing was asked: whatever the learner's code sends on its own is dropped
  const answers = (message.type === 'loaded' || message.type === 'load-error') ? pending.id === 0
    : (message.type === 'result' || message.type === 'error') && message.id === pending.id;
  if (!answers) return;
  clearTimeout(pending.timer);
  state.pending = null;
  // what the child printed before it answered is usually read in this turn of the loop: let it go first
  setImmediate(() => reply({ ...message, key: state.key, id: pending.id }));
}

/** Ask the child, with a time limit; on time out the whole group is killed and the checker told why. */
function ask(state, id, request, budgetMs, reason = 'time') {
  state.pending = {
    id,
    timer: setTimeout(() => { killGroup(state, reason); }, Math.max(1, budgetMs)),
  };
  try { state.child.send(request); } catch { killGroup(state, 'ended:the channel closed'); }
}

port.on('message', (request) => {
  if (request.op === 'start') {
    const { key, file, memoryMb, outputCap, bootMs, loadMs, keepSpare, env } = request;
    let state = spare && !spare.ended && spare.memoryMb === memoryMb && spare.envKey === JSON.stringify(env) ? spare : null;
    if (spare && spare !== state) killGroup(spare, 'unused');
    spare = null;
    state ??= startChild(memoryMb, outputCap, env);
    state.key = key; state.outputCap = outputCap;
    children.set(key, state);
    if (state.ended) { reply({ type: 'incident', key, id: 0, reason: reasonOf(state, null, null) }); return; }
    const load = () => { state.onBoot = null; if (state.pending) clearTimeout(state.pending.timer); if (!state.ended) ask(state, 0, { type: 'load', file }, loadMs, 'time-loading'); };
    if (state.booted) load();
    else {
      state.onBoot = load;
      state.pending = { id: 0, timer: setTimeout(() => killGroup(state, 'time-starting'), bootMs) };
    }
    if (keepSpare) spare = startChild(memoryMb, outputCap, env);
  } else if (request.op === 'call') {
    const state = children.get(request.key);
    if (!state || state.ended) { reply({ type: 'incident', key: request.key, id: request.id, reason: state ? reasonOf(state, null, null) : 'ended:gone' }); return; }
    ask(state, request.id, { type: 'call', id: request.id, name: request.name, args: request.args }, request.budgetMs);
  } else if (request.op === 'stop') {
    // kill the group and answer once the child's output has all been forwarded (or after 1 s: a learner's
    // process that left the group may still hold the pipe)
    const state = children.get(request.key);
    const done = () => reply({ type: 'stopped', key: request.key, id: request.id });
    if (!state) { done(); return; }
    children.delete(request.key);
    killGroup(state, 'closed');
    if (state.child.stdout?.closed !== false && state.child.stderr?.closed !== false) { done(); return; }
    const timer = setTimeout(done, 1000);
    state.child.once('close', () => { clearTimeout(timer); done(); });
  } else if (request.op === 'close') {
    for (const state of children.values()) killGroup(state, 'closed');
    if (spare) killGroup(spare, 'closed');
    children.clear(); spare = null;
    port.close();
  }
});
