// exercises/marshal.ts: what crosses between the checker and the learner's code. Only data crosses: the
// arguments the check chose go in as copies, the learner's return value and the arguments as the learner
// left them come back as copies (structured clone, the format of the child process's channel). A function the
// check hands over (a seeded random generator, a loss) is "shipped": the learner's side rebuilds it from a
// recipe, so nothing ever calls back into the checker. The same rules hold in the child process and in
// `runInProcess`, so the learner attempts tested in-process see exactly what a child would see.
import { serialize, deserialize } from 'node:v8';

/** How the learner's side rebuilds a function the check hands over: `module`'s export `name`, called with `args` when given. */
export interface Recipe { module: string; name: string; args?: unknown[] }
const recipes = new WeakMap<object, Recipe>();
const SHIPPED = '__convlabShipped';

/** Mark `fn` as one the check may pass to learner code: the learner's side rebuilds it as `module`'s export `name` (called with `args`, if any). */
export function shipped<F extends (...args: never[]) => unknown>(fn: F, module: string, name: string, args?: unknown[]): F {
  recipes.set(fn, { module, name, args });
  return fn;
}

/** The learner's code returned (or left in an argument) something that is not data. */
export class UnreadableValue extends Error {}

function cloneOrExplain<T>(value: T, what: string): T {
  try { return structuredClone(value); } catch (error) {
    const kind = /function|=>/.test(String((error as Error).message)) ? 'a function' : 'something that is not plain data';
    throw new UnreadableValue(`${what} holds ${kind}, which the checker cannot read (${(error as Error).message.slice(0, 120)}): return numbers, arrays or plain objects`);
  }
}

/** Replace shipped functions by their recipes, at any depth of arrays and plain objects; any other function is the check's mistake. */
function toRecipes(value: unknown, seen = new Set<unknown>()): unknown {
  if (typeof value === 'function') {
    const recipe = recipes.get(value);
    if (!recipe) throw new Error(`the check passes the function ${value.name || '(anonymous)'} to learner code without a recipe: wrap it with shipped() from exercises/marshal.ts`);
    return { [SHIPPED]: recipe };
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value) || seen.has(value)) return value;
  seen.add(value);
  if (Array.isArray(value)) return value.map((v) => toRecipes(v, seen));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toRecipes(v, seen)]));
}

const isRecipe = (v: unknown): v is { [SHIPPED]: Recipe } => v !== null && typeof v === 'object' && SHIPPED in v;

/** The arguments as they go to the learner: copies, with functions as recipes. */
export function packArguments(args: unknown[]): unknown[] { return structuredClone(toRecipes(args)) as unknown[]; }

/** Rebuild shipped functions on the learner's side (`load` imports a recipe's module). */
export async function unpackArguments(args: unknown[], load: (module: string) => Promise<Record<string, unknown>>): Promise<unknown[]> {
  const walk = async (v: unknown): Promise<unknown> => {
    if (isRecipe(v)) {
      const { module, name, args: recipeArgs } = v[SHIPPED];
      const exported = (await load(module))[name];
      if (typeof exported !== 'function') throw new Error(`recipe ${name} from ${module} is not a function`);
      return recipeArgs ? (exported as (...a: unknown[]) => unknown)(...recipeArgs) : exported;
    }
    if (Array.isArray(v)) { for (let i = 0; i < v.length; i++) v[i] = await walk(v[i]); return v; }
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = await walk((v as Record<string, unknown>)[k]);
    return v;
  };
  return walk(args) as Promise<unknown[]>;
}

/** In-process: the same copies, but a shipped function is handed over as itself. */
export function unpackLocally(packed: unknown[], original: unknown[]): unknown[] {
  const walk = (v: unknown, o: unknown): unknown => {
    if (isRecipe(v)) return o;
    if (Array.isArray(v) && Array.isArray(o)) { for (let i = 0; i < v.length; i++) v[i] = walk(v[i], o[i]); return v; }
    if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && o !== null && typeof o === 'object') for (const k of Object.keys(v)) (v as Record<string, unknown>)[k] = walk((v as Record<string, unknown>)[k], (o as Record<string, unknown>)[k]);
    return v;
  };
  return walk(packed, original) as unknown[];
}

/** What comes back from one call: the return value (with its identity, see `Identities`) and the arguments as the learner left them (functions dropped). */
export function packOutcome(value: unknown, args: unknown[], identities?: Identities): { value: unknown; args: unknown[]; ref?: number; changed?: Changed[] } {
  const data = args.map((a) => (typeof a === 'function' ? undefined : dropFunctions(a)));
  const out = { value: cloneOrExplain(value, 'your return value'), args: cloneOrExplain(data, 'an argument you changed') };
  if (!identities) return out;
  const changed = identities.changedSince(value);
  return { ...out, ref: identities.of(value), changed };
}
export interface Changed { ref: number; value: unknown }

/**
 * Which returned object is which: a learner who returns the same array twice (a module-level buffer), or who
 * later writes into an array returned before, must be seen doing so, as in one process. The learner's side
 * numbers each object it returns and watches the last few; after each call it reports those that changed. The
 * checker's side hands back its earlier copy for a number it has seen, updated in place to the new contents.
 */
export class Identities {
  private readonly ids = new WeakMap<object, number>();
  private readonly copies = new Map<number, unknown>();
  private readonly watched = new Map<number, { object: object; snapshot: Buffer }>();
  private next = 1;
  /** Learner's side: the number of a returned object (watched from now on: the last 8 under 1 MB). */
  of(value: unknown): number | undefined {
    if (value === null || typeof value !== 'object') return undefined;
    let id = this.ids.get(value);
    if (id === undefined) { id = this.next++; this.ids.set(value, id); }
    const snapshot = serialize(value);
    this.watched.delete(id);
    if (snapshot.length < 1 << 20) this.watched.set(id, { object: value, snapshot });
    if (this.watched.size > 8) this.watched.delete(this.watched.keys().next().value!);
    return id;
  }
  /** Learner's side: the objects returned before (other than `current`) whose contents changed since. */
  changedSince(current: unknown): Changed[] {
    const changed: Changed[] = [];
    for (const [ref, entry] of this.watched) {
      if (entry.object === current) continue;
      const now = serialize(entry.object);
      if (!now.equals(entry.snapshot)) { entry.snapshot = now; changed.push({ ref, value: deserialize(now) }); }
    }
    return changed;
  }
  /** Checker's side: apply the reported changes, then the object to hand the check for a returned copy numbered `ref`. */
  resolve(copy: unknown, ref: number | undefined, changed: Changed[] = []): unknown {
    for (const c of changed) { const earlier = this.copies.get(c.ref); if (earlier !== undefined) writeBack(earlier, c.value); }
    if (ref === undefined) return copy;
    const earlier = this.copies.get(ref);
    if (earlier === undefined) { this.copies.set(ref, copy); return copy; }
    writeBack(earlier, copy);
    return earlier;
  }
}
function dropFunctions(v: unknown, seen = new Set<unknown>()): unknown {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v) || seen.has(v)) return typeof v === 'function' ? undefined : v;
  seen.add(v);
  if (Array.isArray(v)) return v.map((x) => dropFunctions(x, seen));
  if (Object.getPrototypeOf(v) !== Object.prototype) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, dropFunctions(x, seen)]));
}

/**
 * Write the learner's changes to an argument back into the check's own object (a check may read an array the
 * learner was asked to update in place). Arrays, typed arrays and plain objects are updated where they are;
 * functions the check passed stay as they were.
 */
export function writeBack(target: unknown, source: unknown): void {
  if (Array.isArray(target) && Array.isArray(source)) {
    target.length = source.length;
    for (let i = 0; i < source.length; i++) {
      if (typeof target[i] === 'function') continue;
      if (sameKind(target[i], source[i])) writeBack(target[i], source[i]); else target[i] = source[i];
    }
  } else if (ArrayBuffer.isView(target) && ArrayBuffer.isView(source) && target.constructor === source.constructor
    && (target as unknown as ArrayLike<number>).length === (source as unknown as ArrayLike<number>).length) {
    (target as unknown as { set(s: ArrayLike<number>): void }).set(source as unknown as ArrayLike<number>);
  } else if (isPlain(target) && isPlain(source)) {
    for (const k of Object.keys(target)) if (!(k in source) && typeof target[k] !== 'function') delete target[k];
    for (const [k, v] of Object.entries(source)) {
      if (typeof target[k] === 'function') continue;
      if (sameKind(target[k], v)) writeBack(target[k], v); else target[k] = v;
    }
  }
}
const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const sameKind = (a: unknown, b: unknown) => (Array.isArray(a) && Array.isArray(b)) || (isPlain(a) && isPlain(b))
  || (ArrayBuffer.isView(a) && ArrayBuffer.isView(b) && a.constructor === b.constructor);

/** An error as data (a learner may throw anything); message and stack are cut to a readable length. */
export interface ThrownData { message: string; stack?: string; isError: boolean }
export function packError(error: unknown): ThrownData {
  const isError = error instanceof Error;
  let message: string;
  try { message = isError ? String(error.message) : String(error); } catch { message = '(an error that cannot be printed)'; }
  let stack: string | undefined;
  try { stack = isError && typeof error.stack === 'string' ? error.stack.slice(0, 4000) : undefined; } catch { stack = undefined; }
  return { message: message.slice(0, 2000), stack, isError };
}
/** The same error rebuilt on the checker's side. */
export function unpackError(thrown: ThrownData): unknown {
  if (!thrown.isError) return thrown.message;
  const error = new Error(thrown.message);
  error.stack = thrown.stack ?? `Error: ${thrown.message}`;
  return error;
}
