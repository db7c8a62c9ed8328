// Models the user opened or trained, kept in this browser (IndexedDB) under a short id made from the file's
// contents, so a link `#…&model=ID` still opens after a reload. A link into a model this browser has never
// seen cannot be opened here (the model travels as a file, not in the link); the app says so.
export interface StoredModel { id: string; name: string; json: string; saved: number }

const DATABASE = 'convlab-explainer', STORE = 'models';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available'));
  });
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const database = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const request = work(database.transaction(STORE, mode).objectStore(STORE));
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  } finally { database.close(); }
}

/** 12 hex digits of the SHA-256 of the model file (the same file gives the same id on every machine). */
export async function modelId(json: string): Promise<string> {
  const bytes = new TextEncoder().encode(json);
  if (globalThis.crypto?.subtle) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join('');
  }
  // pages served over plain http from another machine have no crypto.subtle: FNV-1a, 48 bits
  let hash = 0xcbf29ce484222325n;
  for (const b of bytes) hash = BigInt.asUintN(64, (hash ^ BigInt(b)) * 0x100000001b3n);
  return (hash & 0xffffffffffffn).toString(16).padStart(12, '0');
}

/** Keep a model (failures are reported, not thrown: the model is still shown, only not kept). */
export async function keepModel(model: StoredModel): Promise<string | null> {
  try { await transact('readwrite', (store) => store.put(model)); return null; }
  catch (error) { return `this model is shown but cannot be kept across a reload (${(error as Error).message})`; }
}

export async function findModel(id: string): Promise<StoredModel | null> {
  try { return (await transact<StoredModel | undefined>('readonly', (store) => store.get(id))) ?? null; }
  catch { return null; }
}
