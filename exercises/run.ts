// exercises/run.ts: `npm run check -- <exercise>|--all [--solution]` checks a learner's starter.ts (or the reference solution).
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import type { Check, CaseResult } from './lib.js';

const root = dirname(fileURLToPath(import.meta.url));
export const exerciseNames = () => readdirSync(root).filter((d) => /^\d\d-/.test(d) && existsSync(join(root, d, 'check.ts'))).sort();

/** Check one exercise against its starter.ts or solution.ts; returns the per-case results. */
export async function checkExercise(name: string, which: 'starter' | 'solution'): Promise<{ title: string; results: CaseResult[] }> {
  const { check } = (await import(pathToFileURL(join(root, name, 'check.ts')).href)) as { check: Check };
  let impl: Record<string, unknown>;
  try { impl = await import(pathToFileURL(join(root, name, `${which}.ts`)).href); } catch (error) {
    return { title: check.title, results: [{ name: `load ${which}.ts`, pass: false, error: (error as Error).message }] };
  }
  return { title: check.title, results: check.run(impl) };
}

async function main(argv: string[]): Promise<number> {
  const which = argv.includes('--solution') ? 'solution' : 'starter';
  const wanted = argv.filter((a) => !a.startsWith('--'));
  const all = exerciseNames();
  const names = argv.includes('--all') ? all : wanted.map((w) => all.find((n) => n === w || n.startsWith(w) || n.slice(3) === w) ?? w);
  if (names.length === 0) {
    console.error(`usage: npm run check -- <exercise>|--all [--solution]\nexercises: ${all.join(', ')}`);
    return 2;
  }
  let failed = 0;
  for (const name of names) {
    if (!all.includes(name)) { console.error(`check: no exercise '${name}' (exercises: ${all.join(', ')})`); return 2; }
    const { title, results } = await checkExercise(name, which);
    const passed = results.filter((r) => r.pass).length;
    console.log(`\n${name} (${which}.ts): ${title} — ${passed}/${results.length} cases pass`);
    for (const r of results) {
      console.log(`  ${r.pass ? '✓' : '✗'} ${r.name}`);
      if (r.pass) continue;
      if (r.input) console.log(`      input:    ${r.input}`);
      if (r.expected) console.log(`      expected: ${r.expected}`);
      if (r.actual) console.log(`      actual:   ${r.actual}`);
      if (r.error) console.log(`      error:    ${r.error}`);
      if (r.hint) console.log(`      hint:     ${r.hint}`);
    }
    if (passed < results.length) failed++;
  }
  console.log(failed ? `\n${failed} exercise(s) not yet right.` : '\nall checked exercises pass.');
  return failed ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
