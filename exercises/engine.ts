// exercises/engine.ts: how a learner's file is checked — type-check it, load it, run the check's cases
// (in this process, or in a child process that is killed when a case runs past its time limit), and
// turn thrown errors into "file:line" of the learner's code.
import { readdirSync, existsSync } from 'node:fs';
import { fork } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join, relative, resolve } from 'node:path';
import vm from 'node:vm';
import ts from 'typescript';
import type { Case, Check, CaseResult, Impl } from './lib.js';

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
    if (!file.startsWith('exercises/') || /exercises\/(lib|engine|child|run|gradcheck)\.ts$|\/check\.ts$/.test(file)) continue;
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

export interface RunOptions { timeLimitMs?: number; onCase?: (result: CaseResult, index: number, total: number) => void }

/** Run every case in this process (fast; each case still has its time limit, but a crash or process.exit ends the run). */
export async function runInProcess(name: string, file: string, { timeLimitMs = 5000, onCase }: RunOptions = {}): Promise<CaseResult[]> {
  const check = await loadCheck(name);
  let impl: Impl;
  try { impl = await import(pathToFileURL(resolve(file)).href); } catch (error) {
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

type ChildMessage = { type: 'ready' } | { type: 'cases'; names: string[] } | { type: 'case'; index: number; result: CaseResult } | { type: 'done' } | { type: 'load'; result: CaseResult[] };

/**
 * Run the cases in a child process, one after another, each under vm's time limit (an endless loop is
 * stopped and the child goes on). A child that crashes, exits, or hangs where vm cannot stop it is killed
 * and a fresh one carries on with the next case. Each result is reported as soon as it arrives.
 */
export async function runIsolated(name: string, file: string, { timeLimitMs = 5000, onCase }: RunOptions = {}): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let names: string[] = [];
  let start = 0;
  for (;;) {
    const spawned = takeIdle() ?? spawnChild();
    const outcome = await new Promise<{ next: number | null }>((done) => {
      const { child } = spawned;
      let current = start, timer: NodeJS.Timeout | undefined, finished = false;
      const arm = (ms = timeLimitMs + 5000) => { // vm's timeout stops a case first; this is the backstop
        clearTimeout(timer);
        timer = setTimeout(() => {
          finished = true;
          child.kill('SIGKILL');
          const result: CaseResult = { name: names[current] ?? `load ${relative(repository, file)}`, pass: false,
            error: `no answer within ${(names.length ? timeLimitMs : ms) / 1000} s: stopped`, hint: names.length ? stoppedHint : loadingHint };
          results.push(result); onCase?.(result, current, names.length);
          done({ next: current + 1 < names.length ? current + 1 : null });
        }, ms);
      };
      arm(timeLimitMs + 20_000); // starting node, the TypeScript loader and convlab's core
      const request = () => child.send({ name, file: resolve(file), start, timeLimitMs });
      spawned.ready.then(request, () => undefined);
      const onMessage = (message: ChildMessage) => {
        if (message.type === 'cases') { names = message.names; arm(); }
        else if (message.type === 'case') {
          const result = explainError(message.result, name);
          results.push(result); onCase?.(result, message.index, names.length);
          current = message.index + 1; arm();
        } else if (message.type === 'load') {
          finished = true; clearTimeout(timer);
          for (const r of message.result) { const e = explainError(r, name); results.push(e); onCase?.(e, results.length - 1, message.result.length); }
          release(spawned); done({ next: null });
        } else if (message.type === 'done') { finished = true; clearTimeout(timer); release(spawned); done({ next: null }); }
      };
      const onExit = (code: number | null, signal: string | null) => {
        if (finished) return;
        finished = true; clearTimeout(timer);
        const result: CaseResult = { name: names[current] ?? 'load', pass: false, error: `the checker's process ended (${signal ?? `exit code ${code}`}) during this case`,
          hint: 'your code ended the process (process.exit, or it ran out of memory): return a value instead' };
        results.push(result); onCase?.(result, current, names.length);
        done({ next: current + 1 < names.length ? current + 1 : null });
      };
      const release = (used: Spawned) => {
        child.off('message', onMessage); child.off('exit', onExit);
        if (idle || !child.connected) { child.kill(); return; }
        idle = used; child.unref(); child.channel?.unref();
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
    });
    if (outcome.next === null) return results;
    start = outcome.next;
  }
}

interface Spawned { child: ReturnType<typeof fork>; ready: Promise<void> }
/** A child that finished its exercise waits for the next one (unreferenced: it never keeps this process alive). */
let idle: Spawned | null = null;
function takeIdle(): Spawned | null {
  const taken = idle;
  idle = null;
  if (!taken || !taken.child.connected) return null;
  taken.child.ref(); taken.child.channel?.ref();
  return taken;
}
/** End the waiting child, if any. */
export function closeChildren(): void { idle?.child.kill(); idle = null; }
function spawnChild(): Spawned {
  const child = fork(join(root, 'child.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = new Promise<void>((ok, fail) => {
    child.once('message', (m: ChildMessage) => (m.type === 'ready' ? ok() : fail(new Error('unexpected first message'))));
    child.once('exit', () => fail(new Error('exited')));
  });
  ready.catch(() => undefined);
  return { child, ready };
}

/** The child's side: load, announce the case names, run from `start`, send each result as it finishes. */
export async function serveChild(): Promise<void> {
  process.on('message', async ({ name, file, start, timeLimitMs }: { name: string; file: string; start: number; timeLimitMs: number }) => {
    const send = (m: ChildMessage) => new Promise<void>((ok) => process.send!(m, () => ok()));
    const check = await loadCheck(name);
    let impl: Impl;
    try { impl = await import(pathToFileURL(file).href); } catch (error) {
      await send({ type: 'load', result: [{ name: `load ${relative(repository, file)}`, pass: false, error: (error as Error).message, where: (error as Error).stack }] });
      return;
    }
    const missing = missingExports(check, impl, file);
    if (missing.length) { await send({ type: 'load', result: missing }); return; }
    const cases = check.cases(impl);
    await send({ type: 'cases', names: cases.map((c) => c.name) });
    for (let index = start; index < cases.length; index++) {
      const result = await runCaseLimited(cases[index], timeLimitMs);
      await send({ type: 'case', index, result: JSON.parse(JSON.stringify(result)) });
    }
    await send({ type: 'done' });
  });
  process.send!({ type: 'ready' });
}
