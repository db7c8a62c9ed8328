// The checkers' own quality: every reference solution passes, every untouched starter fails with a hint,
// and every learner attempt in exercises/attempts/ gets the verdict and the hint its header names.
import { describe, it, expect, afterAll, vi } from 'vitest';
import { readdirSync, readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { exerciseNames, findExercise, runInProcess, runIsolated, typeCheck, locate, closeChildren, root } from '../../exercises/engine.js';
import type { CaseResult } from '../../exercises/lib.js';
import { compare } from '../../exercises/lib.js';
import { gradCheck } from '../../exercises/gradcheck.js';
import { main, revealHints } from '../../exercises/run.js';

const names = exerciseNames();
const attemptsRoot = join(root, 'attempts');
interface Attempt { exercise: string; file: string; path: string; verdict: 'pass' | 'fail' | 'timeout' | 'type-error' | 'crash'; hint?: RegExp; about: string }

function readAttempts(): Attempt[] {
  // an attempt is a .ts file (or .ts.txt when it must not compile); other files (model files) are its data
  return readdirSync(attemptsRoot).sort().flatMap((exercise) => readdirSync(join(attemptsRoot, exercise)).filter((f) => /\.ts(\.txt)?$/.test(f)).sort().map((file) => {
    const path = join(attemptsRoot, exercise, file);
    const text = readFileSync(path, 'utf8');
    const field = (name: string) => text.match(new RegExp(`^// ${name}: (.*)$`, 'm'))?.[1].trim();
    const hint = field('hint');
    return { exercise, file, path, verdict: field('verdict') as Attempt['verdict'], hint: hint ? new RegExp(hint.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i') : undefined, about: field('attempt') ?? '' };
  }));
}
const attempts = readAttempts();
afterAll(closeChildren);
// files known to finish get a generous limit, so a loaded machine cannot fail them
const generous = { timeLimitMs: 60_000 };
// one run per file, shared by the verdict tests and the hint-coverage test below
const runs = new Map<string, Promise<CaseResult[]>>();
const resultsOf = (exercise: string, path: string) => {
  if (!runs.has(path)) runs.set(path, runInProcess(exercise, path, generous));
  return runs.get(path)!;
};
const summary = (results: CaseResult[]) => results.filter((r) => !r.pass).map((r) => `${r.name}: ${r.difference ?? r.error ?? ''} | hint: ${r.hint ?? '—'}`);

describe('exercises', () => {
  it('has the twelve lab exercises and the new ones', () => expect(names.length).toBeGreaterThanOrEqual(12));

  // in-process (the same copies as a child's); the exercises whose values cross the boundary in every way a
  // check uses (a returned array's identity, shipped random generators and gradients, objects changed in
  // place, an exported constant) also through a child process, as `npm run check` runs them
  const viaChild = ['06-softmax', '08-mlp-backprop', '10-zero-init', '16-dropout', '17-sgd-momentum', '18-minibatch', '20-gradient-check', '22-playground'];
  it.each(names)('%s: the solution passes every case', async (name) => {
    const results = viaChild.includes(name)
      ? await runIsolated(name, join(root, name, 'solution.ts'), { ...generous, keepSpare: name !== viaChild.at(-1) })
      : await runInProcess(name, join(root, name, 'solution.ts'), generous);
    expect(summary(results)).toEqual([]);
  });

  it.each(names)('%s: the untouched starter fails every case, each with a hint', async (name) => {
    const results = await resultsOf(name, join(root, name, 'starter.ts'));
    expect(results.filter((r) => r.pass).map((r) => r.name)).toEqual([]);
    expect(results.filter((r) => !r.hint).map((r) => r.name)).toEqual([]);
  });

  it.each(names)('%s: has learner attempts, right ones and wrong ones', (name) => {
    const mine = attempts.filter((a) => a.exercise === name);
    expect(mine.some((a) => a.verdict === 'pass'), 'a right-but-different attempt').toBe(true);
    expect(mine.some((a) => a.verdict !== 'pass'), 'a wrong attempt').toBe(true);
    expect(mine.filter((a) => a.verdict !== 'pass' && !a.hint).map((a) => a.file), 'wrong attempts name the hint they expect').toEqual([]);
  });
});

describe('learner attempts get the verdict and the hint their header names', () => {
  // 'crash' attempts end their process: they run only in the child process (below), never in this one
  const run = attempts.filter((a) => a.verdict === 'pass' || a.verdict === 'fail');
  it.each(run.map((a) => [`${a.exercise}/${a.file}: ${a.about}`, a] as const))('%s', async (_, attempt) => {
    expect(names).toContain(attempt.exercise);
    const results = await resultsOf(attempt.exercise, attempt.path);
    if (attempt.verdict === 'pass') { expect(summary(results)).toEqual([]); return; }
    const failures = results.filter((r) => !r.pass);
    expect(failures.length, 'at least one case fails').toBeGreaterThan(0);
    const hints = failures.map((r) => r.hint ?? '');
    expect(hints.some((h) => attempt.hint!.test(h)), `one failing case's hint matches ${attempt.hint}; hints given:\n${[...new Set(hints)].join('\n')}`).toBe(true);
  });

  const typeErrors = attempts.filter((a) => a.verdict === 'type-error');
  it('type errors are reported with the compiler\'s message (and correct files give none)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-attempt-'));
    try {
      const copies = typeErrors.map((a, i) => { const file = join(folder, `attempt${i}.ts`); writeFileSync(file, readFileSync(a.path, 'utf8')); return file; });
      const correct = join(root, '02-relu', 'solution.ts');
      const diagnostics = typeCheck([...copies, correct]);
      expect(typeErrors.length).toBeGreaterThan(0);
      typeErrors.forEach((a, i) => {
        const messages = diagnostics.get(copies[i]) ?? [];
        expect(messages.some((m) => a.hint!.test(m)), `${a.file}: ${messages.join('\n')}`).toBe(true);
        expect(messages.every((m) => /:\d+:\d+ error TS\d+/.test(m))).toBe(true);
      });
      expect(diagnostics.get(correct)).toEqual([]);
    } finally { rmSync(folder, { recursive: true, force: true }); }
  });

  const loops = attempts.filter((a) => a.verdict === 'timeout');
  it.each(loops.map((a) => [`${a.exercise}/${a.file}`, a] as const))('%s: an endless loop is stopped by the time limit and the other cases still run', async (_, attempt) => {
    const seen: string[] = [];
    const results = await runInProcess(attempt.exercise, attempt.path, { timeLimitMs: 300, onCase: (r) => seen.push(r.name) });
    const stopped = results.filter((r) => /no answer within 0.3 s: stopped/.test(r.error ?? ''));
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((r) => attempt.hint!.test(r.hint ?? ''))).toBe(true);
    expect(seen).toEqual(results.map((r) => r.name)); // each case reported as it finished
    expect(results.length).toBe((await runInProcess(attempt.exercise, join(root, attempt.exercise, 'solution.ts'), generous)).length);
  });
});

/**
 * The mistake hints a check states (`hint: '…'` beside a wrong answer it recognises), as patterns: a template's
 * `${…}` parts match anything. The `hints: [...]` list that `--hint` reveals is not among them.
 */
function statedHints(exercise: string): { text: string; pattern: RegExp }[] {
  const source = readFileSync(join(root, exercise, 'check.ts'), 'utf8');
  const quoted = String.raw`(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|${'`'}(?:[^${'`'}\\]|\\.)*${'`'})`;
  // a literal, or literals joined by + with an expression between them ('… (here ' + (max − min) + ') …')
  const stated = new RegExp(String.raw`hint:\s*(${quoted}(?:\s*\+\s*[^'"${'`'},}]+?\s*\+\s*${quoted})*)`, 'g');
  return [...source.matchAll(stated)].map(([, chain]) => {
    const literals = [...chain.matchAll(new RegExp(quoted, 'g'))].map(([q]) => q.slice(1, -1).replace(/\\(.)/g, '$1'));
    const parts: (string | null)[] = literals.flatMap((body, i) => [...(i ? [null] : []), ...body.split(/\$\{[^}]*\}\)?/).flatMap((part, j) => (j ? [null, part] : [part]))]);
    const pattern = parts.map((part) => (part === null ? '[\\s\\S]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    return { text: literals.join(' … '), pattern: new RegExp(`^${pattern}$`) };
  });
}

describe('every hint a check states can fire: some wrong attempt (or the starter) gets it', () => {
  it.each(names)('%s', async (name) => {
    const files = [join(root, name, 'starter.ts'), ...attempts.filter((a) => a.exercise === name && a.verdict === 'fail').map((a) => a.path)];
    const given = new Set<string>();
    for (const file of files) for (const r of await resultsOf(name, file)) if (!r.pass && r.hint) given.add(r.hint);
    const never = statedHints(name).filter(({ pattern }) => ![...given].some((h) => pattern.test(h))).map(({ text }) => text);
    expect(never, `hints of ${name} that no attempt in exercises/attempts/${name}/ triggers`).toEqual([]);
  });
});

describe('checker feedback', () => {
  it('exercise numbers match exactly: 1, 01, 01-conv3d and conv3d name 01; 1 never names 10', () => {
    for (const word of ['1', '01', '001', '01-conv3d', 'conv3d']) expect(findExercise(word, names)).toBe('01-conv3d');
    expect(findExercise('10', names)).toBe('10-zero-init');
    expect(findExercise('0', names)).toBeUndefined();
    expect(findExercise('conv', names)).toBeUndefined();
  });

  it('in the child process: a runtime error shows the learner file and line, an endless loop is stopped, a process.exit is survived', async () => {
    // one after another: the child that finished one run takes the next (two process starts in all)
    const results = await runIsolated('02-relu', join(root, '02-relu', 'starter.ts'), generous);
    const looping = await runIsolated('02-relu', join(attemptsRoot, '02-relu', 'endless-loop.ts'), { timeLimitMs: 300 });
    const exiting = await runIsolated('05-dense', join(attemptsRoot, '05-dense', 'exits-on-one-output.ts'), generous);
    expect(looping.map((r) => r.error)).toEqual(looping.map(() => 'no answer within 0.3 s: stopped'));
    // the process ends in the third case; a fresh child runs the fourth
    expect(exiting.map((r) => r.pass)).toEqual([true, true, false, true]);
    expect(exiting[2].hint).toMatch(/your code ended the process/);
    expect(results[0].where).toMatch(/^exercises\/02-relu\/starter\.ts:\d+:\d+$/);
    const line = Number(results[0].where!.split(':')[1]);
    expect(readFileSync(join(root, '02-relu', 'starter.ts'), 'utf8').split('\n')[line - 1]).toMatch(/throw new Error\('not implemented'\)/);
  });

  it('08 built on an unfinished 07 points at 07\'s file', async () => {
    const results = await runInProcess('08-mlp-backprop', join(attemptsRoot, '08-mlp-backprop', 'uses-unfinished-07.ts'), generous);
    const first = results.find((r) => !r.pass)!;
    expect(first.where).toMatch(/^exercises\/07-mlp-forward\/starter\.ts/);
    expect(first.hint).toMatch(/finish exercise 07 first/);
  });

  it('the command line shows the compiler\'s message and runs nothing when the file has type errors', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-cli-'));
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => { lines.push(line); });
    try {
      const file = join(folder, 'relu.ts');
      writeFileSync(file, readFileSync(join(attemptsRoot, '02-relu', 'type-error.ts.txt'), 'utf8'));
      expect(await main(['02', '--file', file])).toBe(1);
      expect(lines.join('\n')).toMatch(/TypeScript finds 1 error\(s\); fix them first:\n.*relu\.ts:5:9 error TS2322: Type 'number' is not assignable to type 'string'/);
      expect(lines.some((l) => /✓|cases pass/.test(l))).toBe(false);
    } finally { log.mockRestore(); rmSync(folder, { recursive: true, force: true }); }
  });

  it('an unknown exercise is a usage error that lists the exercises', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    try { expect(await main(['1x'])).toBe(2); } finally { spy.mockRestore(); }
    expect(errors.join('\n')).toMatch(/no exercise '1x'[\s\S]*01-conv3d, 02-relu/);
  });

  it('--hint reveals the hints one at a time and remembers how many', () => {
    const folder = mkdtempSync(join(tmpdir(), 'convlab-hints-'));
    try {
      const state = join(folder, 'hints.json'), hints = ['first', 'second'];
      expect(revealHints('03-max-pool', hints, false, state)).toEqual(['  stuck? a hint: npm run check -- 03 --hint  (2 left)']);
      expect(revealHints('03-max-pool', hints, true, state)).toEqual(['  hint 1 of 2: first', '  another hint: npm run check -- 03 --hint  (1 left)']);
      expect(revealHints('03-max-pool', hints, false, state)).toEqual(['  hint 1 of 2: first', '  another hint: npm run check -- 03 --hint  (1 left)']);
      expect(revealHints('03-max-pool', hints, true, state)).toEqual(['  hint 1 of 2: first', '  hint 2 of 2: second']);
      expect(revealHints('03-max-pool', hints, true, state)).toHaveLength(2);
      expect(revealHints('02-relu', hints, false, state)).toHaveLength(1);
    } finally { rmSync(folder, { recursive: true, force: true }); }
  });

  it('04: n − 1 is named in every case it changes, the constant map (eps 0) too', async () => {
    const results = await resultsOf('04-normalize', join(root, 'attempts', '04-normalize', 'sample-variance.ts'));
    const failures = results.filter((r) => !r.pass);
    expect(failures.map((r) => r.name)).toContain('a constant map gives zeros, not NaN');
    for (const r of failures) expect(r.hint, r.name).toMatch(/divided by n − 1/);
  });

  it('locate skips the checker\'s own frames', () => {
    const stack = `Error: x\n    at f (${root}/lib.ts:3:4)\n    at g (${root}/03-max-pool/check.ts:5:6)\n    at h (${root}/03-max-pool/starter.ts:7:8)`;
    expect(locate(stack)).toEqual({ file: 'exercises/03-max-pool/starter.ts', line: 7, column: 8 });
  });

  it('names the first difference, and accepts typed arrays with the right values', () => {
    expect(compare([[1, 2], [3, 4]], [[1, 2], [3, 5]])).toBe('first difference at [1][1]: expected 5, got 4');
    expect(compare(Float64Array.from([1, 2]), [1, 2])).toBeNull();
    expect(compare([Float32Array.from([1, 2]), Float32Array.from([3, 4])], [[1, 2], [3, 4]])).toBeNull();
    expect(compare(Float64Array.from([1, 2, 3, 4]), [[1, 2], [3, 4]])).toBe('returned Float64Array of shape 4, expected number[][] of shape 2×2');
    expect(compare(undefined, [1])).toBe('returned undefined, expected number[] of shape 1');
    expect(compare(NaN, 1)).toBe('expected 1, got NaN');
  });
});

describe('gradCheck', () => {
  const f = (p: { w: number[]; x: number[] }) => ({ loss: p.w.reduce((s, w, i) => s + w * w * p.x[i], 0), grads: { w: p.w.map((w, i) => 2 * w * p.x[i]), x: p.w.map((w) => w * w) } });
  it('passes a right gradient, with a small error per input', () => {
    const report = gradCheck(f, { w: [0.5, -1.5, 2], x: [1, 2, -3] });
    expect(report.pass).toBe(true);
    expect(Object.keys(report.inputs)).toEqual(['w', 'x']);
    expect(report.inputs.w.maxError).toBeLessThan(1e-6);
  });
  it('fails a wrong one and says where', () => {
    const wrong = (p: { w: number[]; x: number[] }) => ({ ...f(p), grads: { ...f(p).grads, x: p.w.map((w) => 2 * w) } });
    const report = gradCheck(wrong, { w: [0.5, -1.5, 2], x: [1, 2, -3] });
    expect(report.pass).toBe(false);
    expect(report.inputs.w.maxError).toBeLessThan(1e-6);
    expect(report.inputs.x.maxError).toBeGreaterThan(0.1);
    expect(report.inputs.x.worst!.at).toHaveLength(1);
  });
  it('counts a NaN gradient as wrong', () => {
    const report = gradCheck((p: { w: number[] }) => ({ loss: p.w[0] ** 2, grads: { w: [NaN] } }), { w: [1] });
    expect(report.pass).toBe(false);
  });
});
