// core/parallel/spawn.ts: start a Node worker from a module URL; from the TypeScript sources (tests, tsx) the
// module is a .ts file that needs the tsx loader registered inside the worker first.
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function spawnWorker(entry: URL, options: WorkerOptions = {}): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`, { ...options, eval: true });
}

/** The sibling module `name` (without extension) in the form this file runs as (.ts from sources, .js from dist). */
export function sibling(name: string, from: string): URL {
  return new URL(`./${name}${from.endsWith('.ts') ? '.ts' : '.js'}`, from);
}
