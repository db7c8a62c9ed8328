// exercises/engine.ts: how a learner's file is checked — type-check it, load it, run the check's cases,
// and turn thrown errors into "file:line" of the learner's code. `runIsolated` (what `npm run check` uses)
// runs the check here and only the learner's functions in a child process (exercises/child.ts, started by
// exercises/supervisor.mjs): the child gets the inputs the check chose and sends back what the functions
// returned; every verdict is computed in this process, which the learner's code cannot reach.
import { readdirSync, existsSync } from 'node:fs';
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import type { Case, Check, CaseResult, Impl } from './lib.js';
import { packArguments, unpackLocally, packOutcome, writeBack, unpackError, Identities, type ThrownData, type Changed } from './marshal.js';

export const root = dirname(fileURLToPath(import.meta.url));
const repository = dirname(root);
export const exerciseNames = () => readdirSync(root).filter((d) => /^\d\d-/.test(d) && existsSync(join(root, d, 'check.ts'))).sort();

/** `1`, `01`, `01-conv3d` and `conv3d` name exercise 01; anything else names none (no prefix guessing). */
export function findExercise(word: string, names = exerciseNames()): string | undefined {
  if (/^\d+$/.test(word)) return names.find((n) => Number(n.slice(0, 2)) === Number(word));
  return names.find((n) => n === word || n.slice(3) === word);
}

export async function loadCheck(name: string): Promise<Check> {
  return ((await import(pathToFileURL(join(root, name, 'check.ts')).href)) as { check: Check }).check;
}

/** TypeScript's own diagnostics for each file (only errors in that file), with the project's compiler options. */
export function typeCheck(files: string[]): Map<string, string[]> {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, esModuleInterop: true, resolveJsonModule: true, types: ['node'],
    lib: ['lib.es2022.d.ts'],
  };
  const program = ts.createProgram(files.map((f) => resolve(f)), options);
  const result = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(resolve(file));
    if (!source) { result.set(file, [`cannot read ${file}`]); continue; }
    const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    result.set(file, diagnostics.map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
      if (!d.file || d.start === undefined) return `error TS${d.code}: ${text}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${relative(repository, d.file.fileName)}:${line + 1}:${character + 1} error TS${d.code}: ${text}`;
    }));
  }
  return result;
}

/** The first stack frame in learner code (a starter, a solution or an attempt), as repo-relative file:line:col. */
export function locate(stack: string | undefined): { file: string; line: number; column: number } | null {
  for (const match of (stack ?? '').matchAll(/(?:file:\/\/)?(\/[^\s()]+?\.ts):(\d+):(\d+)/g)) {
    const file = relative(repository, match[1]);
    if (!file.startsWith('exercises/') || /exercises\/(lib|engine|child|run|gradcheck|marshal)\.ts$|supervisor\.mjs$|\/check\.ts$/.test(file)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

/** Replace a raw stack by the learner's file:line, and point at another exercise's file when the error came from there. */
export function explainError(result: CaseResult, name: string): CaseResult {
  if (result.pass || result.where === undefined) return result;
  const at = locate(result.where);
  const out: CaseResult = { ...result, where: at ? `${at.file}:${at.line}:${at.column}` : undefined };
  const other = at?.file.match(/^exercises\/(\d\d-[^/]+)\//)?.[1];
  if (other && other !== name && /^exercises\/\d\d-[^/]+\/starter\.ts$/.test(at!.file)) {
    out.hint = `the error comes from ${at!.file} (exercise ${other.slice(0, 2)}), which this exercise imports: ` +
      `finish exercise ${other.slice(0, 2)} first (npm run check -- ${other.slice(0, 2)})` + (result.hint ? `; ${result.hint}` : '');
  }
  return out;
}

function missingExports(check: Check, impl: Impl, file: string): CaseResult[] {
  return check.exports.filter((e) => impl[e] === undefined).map((e) => ({
    name: `exports ${e}`, pass: false, error: `${relative(repository, file)} exports no "${e}"`,
    hint: `keep the line "export function ${e}(…)" (or "export const ${e} = …") from the starter`,
  }));
}

const stoppedHint = 'a loop that never ends? check each loop\'s condition and that its counter moves towards it (i++ not i--, < not >)';
/** Stopped before any case began: the time went into loading the file, i.e. its top-level code. */
const loadingHint = 'your file did not finish loading: code at the top level (outside any function) runs on import. Move slow work (training, long loops) into a function the check calls, or look for a top-level loop that never ends';

/**
 * Run one case with a time limit. The case runs inside vm's timeout, which interrupts any JavaScript running
 * too long (the learner's loop included) and lets the process carry on with the next case.
 */
export async function runCaseLimited(c: Case, timeLimitMs: number): Promise<CaseResult> {
  const started = performance.now();
  const box: { run: () => unknown; result: unknown } = { run: () => c.run(), result: undefined };
  let result: CaseResult;
  try {
    vm.runInNewContext('result = run()', box, { timeout: timeLimitMs });
    result = await (box.result as CaseResult | Promise<CaseResult>);
  } catch (error) {
    result = (error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT'
      ? { name: c.name, pass: false, error: `no answer within ${timeLimitMs / 1000} s: stopped`, hint: stoppedHint }
      : { name: c.name, pass: false, error: (error as Error).message, where: (error as Error).stack };
  }
  return { ...result, ms: performance.now() - started };
}


export interface RunOptions {
  /** Per case: the time the learner's code may take (in the child: the sum of its calls in the case). */
  timeLimitMs?: number;
  /** The child's memory limit, MB: its V8 heap, and its RLIMIT_DATA over what the runtime reserves at start (supervisor.mjs). */
  memoryMb?: number;
  /** What the learner's code may print before the rest is cut, characters. */
  outputCap?: number;
  /** Start the next child ahead of time (more attempts follow). */
  keepSpare?: boolean;
  onCase?: (result: CaseResult, index: number, total: number) => void;
  /** What the learner's code printed (stdout or stderr), already cut at `outputCap`; dropped when not given. */
  onOutput?: (text: string, stream: 'stdout' | 'stderr') => void;
}
export const runLimits = { timeLimitMs: 5000, memoryMb: 512, outputCap: 64 * 1024, bootMs: 30_000 };

/** The learner's module, seen through the same copies a child process would give (see marshal.ts). */
function marshalled(module: Record<string, unknown>): Impl {
  const impl: Impl = {}, learnerSide = new Identities(), checkerSide = new Identities();
  for (const [key, value] of Object.entries(module)) {
    if (typeof value !== 'function') {
      try { impl[key] = packOutcome(value, []).value; } catch (error) { impl[key] = (error as Error).message; }
      continue;
    }
    impl[key] = (...args: unknown[]) => {
      const sent = unpackLocally(packArguments(args), args);
      const outcome = packOutcome((value as (...a: unknown[]) => unknown)(...sent), sent, learnerSide);
      args.forEach((a, i) => writeBack(a, outcome.args[i]));
      return checkerSide.resolve(outcome.value, outcome.ref, outcome.changed);
    };
  }
  return impl;
}

/**
 * Run every case in this process (fast: the tests run every attempt this way). The learner's functions see the
 * same copies as in a child process, and each case has its time limit, but a crash or process.exit ends the run
 * and nothing is isolated: use `runIsolated` for code nobody has read.
 */
export async function runInProcess(name: string, file: string, { timeLimitMs = runLimits.timeLimitMs, onCase }: RunOptions = {}): Promise<CaseResult[]> {
  const check = await loadCheck(name);
  let impl: Impl;
  try { impl = marshalled(await import(pathToFileURL(resolve(file)).href)); } catch (error) {
    return [explainError({ name: `load ${relative(repository, file)}`, pass: false, error: (error as Error).message, where: (error as Error).stack }, name)];
  }
  const missing = missingExports(check, impl, file);
  if (missing.length) return missing;
  const cases = check.cases(impl), results: CaseResult[] = [];
  for (const [index, c] of cases.entries()) {
    const result = explainError(await runCaseLimited(c, timeLimitMs), name);
    results.push(result);
    onCase?.(result, index, cases.length);
  }
  return results;
}

// ---- the child process, seen from the checker ----

type Exports = Record<string, { kind: 'function' } | { kind: 'value'; value: unknown } | { kind: 'unreadable'; message: string }>;
type Answer =
  | { type: 'loaded'; exports: Exports }
  | { type: 'load-error'; error: ThrownData }
  | { type: 'result'; value: unknown; args: unknown[]; ref?: number; changed?: Changed[] }
  | { type: 'error'; error: ThrownData }
  | { type: 'incident'; reason: string }
  | { type: 'stopped' };

/** The supervisor thread (one per process) and the synchronous request/answer over a MessagePort and a shared flag. */
class Supervisor {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(new URL('./supervisor.mjs', import.meta.url), {
      workerData: { signal: this.signal, port: port2, childScript: join(root, 'child.ts'), cwd: repository }, transferList: [port2],
    });
    this.worker.unref();
  }
  /** Send and sleep until the answer with this id; output that arrives meanwhile goes to `onOutput`. */
  request(message: Record<string, unknown>, waitMs: number, onOutput?: RunOptions['onOutput']): Answer {
    const id = message.op === 'start' ? 0 : this.nextId++;
    const key = message.key;
    this.port.postMessage({ ...message, id });
    const deadline = performance.now() + waitMs;
    for (;;) {
      for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
        const answer = m.message as Answer & { key: number; id: number; stream?: 'stdout' | 'stderr'; text?: string };
        if (answer.key !== key) continue; // from an earlier attempt
        if ((answer as { type: string }).type === 'output') { onOutput?.(answer.text!, answer.stream!); continue; }
        if (answer.id === id) return answer;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('the checker lost its supervisor thread (no answer, not even a time-out)');
      Atomics.wait(this.signal, 0, 0, left);
      Atomics.store(this.signal, 0, 0);
    }
  }
  post(message: Record<string, unknown>): void { this.port.postMessage(message); }
  close(): void { this.port.postMessage({ op: 'close' }); void this.worker.terminate(); }
}
let supervisor: Supervisor | null = null;
/** End the supervisor thread and every child it still has. */
export function closeChildren(): void { supervisor?.close(); supervisor = null; }

let nextKey = 1;
const incidentHint: Record<string, string> = {
  memory: 'your code used too much memory: look for an array that grows in a loop that never ends, or one allocated far bigger than the input (a size computed from the wrong variable?)',
  ended: 'your code ended the process (process.exit or process.kill): return a value instead',
};
/** What a case (or loading) that ended in an incident reports. */
function incidentResult(caseName: string, reason: string, { timeLimitMs, memoryMb }: Required<Pick<RunOptions, 'timeLimitMs' | 'memoryMb'>>): CaseResult {
  if (reason === 'time') return { name: caseName, pass: false, error: `no answer within ${timeLimitMs / 1000} s: stopped`, hint: stoppedHint };
  if (reason === 'time-loading') return { name: caseName, pass: false, error: `no answer within ${timeLimitMs / 1000} s: stopped while loading`, hint: loadingHint };
  if (reason === 'time-starting') return { name: caseName, pass: false, error: `the checker's process did not start within ${runLimits.bootMs / 1000} s`, hint: 'the machine is very busy: try again' };
  if (reason === 'memory') return { name: caseName, pass: false, error: `used more than ${memoryMb} MB of memory: stopped`, hint: incidentHint.memory };
  return { name: caseName, pass: false, error: `the checker's process ended (${reason.replace(/^ended:?/, '') || 'killed'}) during this case`, hint: incidentHint.ended };
}
/** Thrown into the check when the learner's process was stopped; the case's result is then replaced by the incident's. */
class Incident extends Error {
  constructor(readonly reason: string) { super(incidentResult('', reason, { timeLimitMs: 0, memoryMb: 0 }).error); }
}

/**
 * Run the cases of `name`'s check here against the learner's `file` run in a child process. The check calls the
 * learner's functions as if they were local; each call goes to the child (its own process group, memory limit,
 * capped output) and comes back as data. A case whose calls take more than the time limit, use too much memory or
 * end the process fails with that reason; the child's whole group is killed and a fresh child serves the next case.
 */
export async function runIsolated(name: string, file: string, options: RunOptions = {}): Promise<CaseResult[]> {
  const timeLimitMs = options.timeLimitMs ?? runLimits.timeLimitMs, memoryMb = options.memoryMb ?? runLimits.memoryMb;
  const limits = { timeLimitMs, memoryMb };
  const { onCase, onOutput } = options;
  const check = await loadCheck(name);
  supervisor ??= new Supervisor();
  const sup = supervisor;
  const path = resolve(file), loadName = `load ${relative(repository, file)}`;
  let key = 0, alive = false, identities = new Identities();
  const start = (): Answer => {
    if (key) sup.post({ op: 'stop', key });
    key = nextKey++;
    identities = new Identities(); // a fresh child numbers its objects afresh
    const answer = sup.request({ op: 'start', key, file: path, memoryMb, outputCap: options.outputCap ?? runLimits.outputCap,
      bootMs: runLimits.bootMs, loadMs: timeLimitMs, keepSpare: options.keepSpare ?? false, env: { ...process.env } }, runLimits.bootMs + timeLimitMs + 30_000, onOutput);
    alive = answer.type === 'loaded';
    return answer;
  };
  const results: CaseResult[] = [];
  const report = (result: CaseResult, index: number, total: number) => { results.push(result); onCase?.(result, index, total); };
  try {
    const first = start();
    if (first.type === 'load-error') {
      report(explainError({ name: loadName, pass: false, error: first.error.message, where: first.error.stack }, name), 0, 1);
      return results;
    }
    if (first.type !== 'loaded') { report(incidentResult(loadName, first.type === 'incident' ? first.reason : 'ended', limits), 0, 1); return results; }
    // the case now running: its incident (if any) and the time its calls took
    const current = { incident: null as string | null, spent: 0 };
    const seen = new Map<string, string>();
    const impl: Impl = {};
    for (const [exported, described] of Object.entries(first.exports)) {
      if (described.kind === 'value') { impl[exported] = described.value; continue; }
      if (described.kind === 'unreadable') { impl[exported] = described.message; continue; }
      impl[exported] = (...args: unknown[]) => {
        if (current.incident) throw new Incident(current.incident);
        if (!alive) {
          const again = start();
          if (again.type !== 'loaded') { current.incident = again.type === 'incident' ? again.reason : 'ended'; throw new Incident(current.incident); }
        }
        const budget = timeLimitMs - current.spent;
        if (budget <= 0) { current.incident = 'time'; throw new Incident('time'); }
        const packed = packArguments(args);
        const began = performance.now();
        const answer = sup.request({ op: 'call', key, name: exported, args: packed, budgetMs: budget }, budget + 30_000, onOutput);
        current.spent += performance.now() - began;
        if (answer.type === 'result') { args.forEach((a, i) => writeBack(a, answer.args[i])); return identities.resolve(answer.value, answer.ref, answer.changed); }
        if (answer.type === 'error') {
          if (/Array buffer allocation failed/.test(answer.error.message)) { current.incident = 'memory'; throw new Incident('memory'); }
          throw unpackError(answer.error);
        }
        alive = false;
        current.incident = answer.type === 'incident' ? answer.reason : 'ended';
        throw new Incident(current.incident);
      };
    }
    const missing = missingExports(check, impl, file);
    if (missing.length) { missing.forEach((m, i) => report(m, i, missing.length)); return results; }
    const cases = check.cases(impl);
    for (const [index, c] of cases.entries()) {
      current.incident = null; current.spent = 0;
      const began = performance.now();
      let result: CaseResult;
      try { result = await c.run(); } catch (error) { result = { name: c.name, pass: false, error: (error as Error).message, where: (error as Error).stack }; }
      // a check may keep a thrown error for later cases (a memo): an incident it kept is reported as the incident
      const kept = !current.incident && result.error ? seen.get(result.error) : undefined;
      if (current.incident ?? kept) result = incidentResult(c.name, (current.incident ?? kept)!, limits);
      if (current.incident) seen.set(new Incident(current.incident).message, current.incident);
      report({ ...explainError(result, name), ms: performance.now() - began }, index, cases.length);
    }
    return results;
  } finally {
    // the whole group is killed, and what it printed is all delivered, before this returns
    if (key) sup.request({ op: 'stop', key }, 5000, onOutput);
  }
}
