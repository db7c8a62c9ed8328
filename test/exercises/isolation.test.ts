// The exercise runner as an attacker's target: a learner's file that forges the verdict, ends the process,
// leaves a grandchild behind, allocates 10 GB, fills the heap, floods stdout or replaces the globals a checker
// uses. Each gets a verdict computed in this process, with a named reason, and nothing it started survives.
import { describe, it, expect, afterAll } from 'vitest';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runIsolated, closeChildren } from '../../exercises/engine.js';
import { main } from '../../exercises/run.js';
import type { CaseResult } from '../../exercises/lib.js';

const attacks = join(import.meta.dirname, '..', 'fixtures', 'attacks');
const folder = mkdtempSync(join(tmpdir(), 'convlab-attacks-'));
afterAll(() => { closeChildren(); rmSync(folder, { recursive: true, force: true }); });
const run = (file: string, options: Parameters<typeof runIsolated>[2] = {}) =>
  runIsolated('02-relu', join(attacks, file), { timeLimitMs: 2000, keepSpare: true, ...options });
const errors = (results: CaseResult[]) => results.map((r) => r.error);

/** A process is gone when /proc has no entry for it, or only a zombie's. */
function alive(pid: number): boolean {
  if (!existsSync(`/proc/${pid}/stat`)) return false;
  try { return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

describe('the exercise runner isolates the learner\'s code', () => {
  it('a forged verdict (old channel messages, a replaced process.send, success lines on stdout) changes nothing', async () => {
    const printed: string[] = [];
    const results = await run('forges-the-verdict.ts', { onOutput: (text) => printed.push(text) });
    // its forged messages are at most taken as its own answers: a forged list of exports (relu as the string
    // 'pass'), a forged return value; none of them is a verdict
    expect(results.map((r) => r.pass)).toEqual([false, false, false, false]);
    expect(printed.join('')).toContain('4/4 cases pass'); // it did print it …
    // … and `npm run check` shows it as the learner's output (marked, escapes neutralised), then the real verdict
    const lines: string[] = [];
    const log = console.log;
    console.log = (...parts: unknown[]) => { lines.push(parts.join(' ')); };
    let code: number;
    try { code = await main(['02', '--file', join(attacks, 'forges-the-verdict.ts')]); } finally { console.log = log; }
    expect(code).toBe(1);
    expect(lines).toContain('  │   4/4 cases pass');
    expect(lines.some((l) => l.includes('\\x1b[2K'))).toBe(true);
    expect(lines.some((l) => l.includes('\u001b'))).toBe(false);
    expect(lines).toContain('  0/4 cases pass');
  });

  it('process.exit(0) in a call fails that case with the reason, and a fresh process serves the next case', async () => {
    const results = await run('exits-early.ts');
    expect(errors(results)).toEqual(results.map(() => "the checker's process ended (exit code 0) during this case"));
    expect(results.every((r) => /your code ended the process/.test(r.hint ?? ''))).toBe(true);
    const atLoad = await run('exits-at-load.ts');
    expect(atLoad).toHaveLength(1);
    expect(atLoad[0]).toMatchObject({ name: 'load test/fixtures/attacks/exits-at-load.ts', pass: false, error: "the checker's process ended (exit code 0) during this case" });
  });

  it('a grandchild, a timer and a busy loop all end when the time limit kills the process group', async () => {
    const pids = join(folder, 'pids');
    process.env.CONVLAB_ATTACK_PIDS = pids;
    try {
      const results = await run('grandchild-outlives.ts', { timeLimitMs: 500 });
      expect(errors(results)).toEqual(results.map(() => 'no answer within 0.5 s: stopped'));
    } finally { delete process.env.CONVLAB_ATTACK_PIDS; }
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started).toHaveLength(4); // one per case: each case got a fresh process
    await new Promise((done) => setTimeout(done, 200)); // SIGKILL is delivered at once; give init time to reap
    expect(started.filter(alive)).toEqual([]);
  });

  it('allocating 10 GB and filling the heap each fail with "used more than N MB"', async () => {
    const buffer = await run('allocates-10-gb.ts', { memoryMb: 256 });
    expect(errors(buffer)).toEqual(buffer.map(() => 'used more than 256 MB of memory: stopped'));
    expect(buffer[0].hint).toMatch(/too much memory/);
    const heap = await run('grows-the-heap.ts', { memoryMb: 256, timeLimitMs: 20_000 });
    expect(errors(heap)).toEqual(heap.map(() => 'used more than 256 MB of memory: stopped'));
  });

  it('a flood on stdout is cut at the cap and the (right) answers still count', async () => {
    let shown = '';
    const results = await run('floods-stdout.ts', { outputCap: 4096, onOutput: (text) => { shown += text; } });
    expect(results.map((r) => r.pass)).toEqual([true, true, true, true]);
    expect(shown.length).toBeLessThan(4096 + 200);
    expect(shown).toMatch(/the rest of your output is not shown: more than 4 KB/);
  });

  it('replacing Math.abs, JSON.stringify, Array.prototype.every … in the learner\'s process cannot make a wrong answer pass', async () => {
    const results = await run('patches-globals.ts');
    // relu × 7 is wrong on every case but the one that only checks the input is left unchanged (it is)
    expect(results.filter((r) => r.pass).map((r) => r.name)).toEqual(['leaves its input unchanged']);
    expect(results[0].difference).toMatch(/first difference at \[0\]\[0\]\[\d\]: expected/);
  });
});
