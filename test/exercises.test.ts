// Both directions for every exercise: the reference solution passes its check, the untouched starter fails it.
import { describe, it, expect } from 'vitest';
import { checkExercise, exerciseNames } from '../exercises/run.js';

const names = exerciseNames();

describe('exercises', () => {
  it('there are at least the twelve lab exercises', () => expect(names.length).toBeGreaterThanOrEqual(12));
  it.each(names)('%s: the solution passes every case', async (name) => {
    const { results } = await checkExercise(name, 'solution');
    expect(results.filter((r) => !r.pass).map((r) => `${r.name}: ${r.error ?? r.hint ?? r.actual}`)).toEqual([]);
  });
  it.each(names)('%s: the untouched starter fails, with a hint', async (name) => {
    const { results } = await checkExercise(name, 'starter');
    const failures = results.filter((r) => !r.pass);
    expect(failures.length).toBe(results.length);
    expect(failures.every((r) => r.hint || r.error)).toBe(true);
  });
});
