// exercises/run.ts: `npm run check -- <exercise>… | --all [--solution] [--file PATH] [--hint] [--time-limit S]`
// type-checks the learner's starter.ts (or the reference solution, or any file), then runs the exercise's
// check case by case in a child process with a per-case time limit, printing each case as it finishes.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { exerciseNames, findExercise, loadCheck, runIsolated, typeCheck, closeChildren, root } from './engine.js';
import type { CaseResult } from './lib.js';
import { printable } from '../core/printable.js';

export { exerciseNames, findExercise } from './engine.js';

const usage = 'usage: npm run check -- <exercise>… | --all  [--solution] [--file PATH] [--hint] [--time-limit SECONDS]\n' +
  '  <exercise>: 3, 03, 03-max-pool or max-pool';
const hintState = join(root, '.hints.json');

/** Print one case; an error seen on the case before (an unwritten function) is not repeated. */
export function printCase(r: CaseResult, previous?: CaseResult, log: (line: string) => void = console.log): void {
  const same = !r.pass && previous && !previous.pass && r.error && r.error === previous.error && r.where === previous.where;
  log(`  ${r.pass ? '✓' : '✗'} ${r.name}${r.ms !== undefined && r.ms >= 100 ? `  (${(r.ms / 1000).toFixed(1)} s)` : ''}${same ? `  (${r.error}, as above)` : ''}`);
  if (r.pass || same) return;
  if (r.input) log(`      input:    ${r.input}`);
  if (r.expected) log(`      expected: ${r.expected}`);
  if (r.actual) log(`      actual:   ${r.actual}`);
  if (r.difference) log(`      where:    ${r.difference}`);
  if (r.error) log(`      error:    ${r.error}${r.where ? `  (at ${r.where})` : ''}`);
  if (r.hint) log(`      hint:     ${r.hint}`);
}

/** The hints shown now: as many as revealed so far, one more with `next`; the count is kept per exercise in `statePath`. */
export function revealHints(name: string, hints: string[], next: boolean, statePath = hintState): string[] {
  const seen: Record<string, number> = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {};
  const count = Math.min(hints.length, (seen[name] ?? 0) + (next ? 1 : 0));
  if (next) { seen[name] = count; writeFileSync(statePath, JSON.stringify(seen, null, 2)); }
  const lines = hints.slice(0, count).map((hint, i) => `  hint ${i + 1} of ${hints.length}: ${hint}`);
  if (count < hints.length) lines.push(`  ${count ? 'another hint' : 'stuck? a hint'}: npm run check -- ${name.slice(0, 2)} --hint  (${hints.length - count} left)`);
  return lines;
}

/**
 * What the learner's code prints is shown, marked as theirs line by line and with control characters escaped, so
 * it can never pass for the checker's own lines (a printed "4/4 cases pass" stays visibly the learner's).
 */
function printOutput(text: string): void {
  for (const line of text.replace(/\n$/, '').split('\n')) console.log(`  │ ${printable(line, true)}`);
}

const option = (argv: string[], flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };

/** The command line; returns the exit code (0 all pass, 1 some fail, 2 a usage error). */
export async function main(argv: string[]): Promise<number> {
  const which = argv.includes('--solution') ? 'solution' : 'starter';
  const file = option(argv, '--file');
  const timeLimitMs = 1000 * Number(option(argv, '--time-limit') ?? 5);
  const values = new Set([file, option(argv, '--time-limit')]);
  const words = argv.filter((a) => !a.startsWith('--') && !values.has(a));
  const all = exerciseNames();
  const names: string[] = [];
  for (const word of words) {
    const found = findExercise(word, all);
    if (!found) { console.error(`check: no exercise '${word}'\nexercises: ${all.join(', ')}\n${usage}`); return 2; }
    names.push(found);
  }
  if (argv.includes('--all')) names.push(...all);
  if (names.length === 0 || !(timeLimitMs > 0)) { console.error(`${usage}\nexercises: ${all.join(', ')}`); return 2; }
  if (file && names.length !== 1) { console.error('check: --file checks one exercise at a time'); return 2; }
  const table = names.length > 1;
  const files = names.map((n) => file ?? join(root, n, `${which}.ts`));
  const diagnostics = typeCheck(files);
  const rows: string[][] = [];
  if (table) console.log(`checking ${names.length} exercises (${which}.ts)…`);
  for (const [i, name] of names.entries()) {
    const target = files[i];
    const check = await loadCheck(name);
    const errors = diagnostics.get(target) ?? [];
    if (!table) console.log(`\n${name} (${relative(process.cwd(), target)}): ${check.title}`);
    if (errors.length) {
      if (!table) {
        console.log(`  ✗ TypeScript finds ${errors.length} error(s); fix them first:`);
        for (const e of errors) console.log(`      ${e}`);
      }
      rows.push([name, check.title, '—', `✗ type errors (${errors.length})`]);
      continue;
    }
    let previous: CaseResult | undefined;
    const results = await runIsolated(name, target, { timeLimitMs, keepSpare: i < names.length - 1,
      onCase: table ? undefined : (r) => { printCase(r, previous); previous = r; }, onOutput: table ? undefined : printOutput });
    const passed = results.filter((r) => r.pass).length;
    const untouched = results.every((r) => !r.pass && /not implemented/.test(r.error ?? ''));
    const timedOut = results.some((r) => /no answer within/.test(r.error ?? ''));
    const status = passed === results.length ? '✓ done' : untouched ? '· not started' : timedOut ? `✗ ${passed}/${results.length}, time limit` : `✗ ${passed}/${results.length}`;
    rows.push([name, check.title, `${passed}/${results.length}`, status]);
    if (table) console.log(`  ${status.padEnd(14)} ${name}`);
    else {
      console.log(`  ${passed}/${results.length} cases pass`);
      if (passed < results.length && which === 'starter' && !file) revealHints(name, check.hints, argv.includes('--hint')).forEach((line) => console.log(line));
    }
  }
  if (table) {
    console.log('\n| exercise | task | cases | status |\n| --- | --- | --- | --- |');
    for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  }
  const failed = rows.filter((r) => !r[3].startsWith('✓')).length;
  console.log(failed ? `\n${failed} of ${rows.length} exercise(s) not yet right.` : `\nall ${rows.length} checked exercise(s) pass.`);
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; }).finally(closeChildren);
}
