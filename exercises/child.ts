// exercises/child.ts: the process the learner's code runs in (started by exercises/supervisor.mjs, one per
// attempt, in its own process group with a memory limit). It knows nothing of the check: it loads the
// learner's file, says which names it exports, and runs one exported function at a time on the arguments the
// checker sent, sending back only what the function returned (and the arguments as it left them). Whether that
// is right is decided by the checker, in the parent process, which this process cannot reach.
import { pathToFileURL } from 'node:url';
import { Identities, packError, packOutcome, unpackArguments } from './marshal.js';
import '../core/index.js'; // loaded before the learner's file, so its load time is the learner's own

type Request = { type: 'load'; file: string } | { type: 'call'; id: number; name: string; args: unknown[] };

let impl: Record<string, unknown> = {};
const identities = new Identities();
const modules = new Map<string, Promise<Record<string, unknown>>>();
const load = (module: string) => {
  if (!modules.has(module)) modules.set(module, import(module) as Promise<Record<string, unknown>>);
  return modules.get(module)!;
};
// the channel's own send, kept before the learner's code can replace process.send (replacing it changes nothing
// the checker relies on: whatever arrives is only ever treated as the learner's return value)
const send = process.send!.bind(process);

process.on('message', async (request: Request) => {
  if (request.type === 'load') {
    try {
      impl = await import(pathToFileURL(request.file).href) as Record<string, unknown>;
    } catch (error) { send({ type: 'load-error', error: packError(error) }); return; }
    const exports: Record<string, { kind: 'function' } | { kind: 'value'; value: unknown } | { kind: 'unreadable'; message: string }> = {};
    for (const [key, value] of Object.entries(impl)) {
      if (typeof value === 'function') { exports[key] = { kind: 'function' }; continue; }
      try { exports[key] = { kind: 'value', value: packOutcome(value, []).value }; } catch (error) { exports[key] = { kind: 'unreadable', message: (error as Error).message }; }
    }
    send({ type: 'loaded', exports });
  } else if (request.type === 'call') {
    const { id, name } = request;
    let reply: unknown;
    try {
      const args = await unpackArguments(request.args, load);
      const value = (impl[name] as (...a: unknown[]) => unknown)(...args);
      reply = { type: 'result', id, ...packOutcome(value, args, identities) };
    } catch (error) { reply = { type: 'error', id, error: packError(error) }; }
    try { send(reply); } catch (error) { send({ type: 'error', id, error: packError(error) }); }
  }
});
send({ type: 'booted' });
