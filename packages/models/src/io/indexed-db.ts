// Save to and load from the browser's IndexedDB: `indexeddb://my-model`.
import { ModelFileError } from './errors';
import { artifactsFromModelJson, checkModelJson, modelJsonFor, weightBytes } from './model-json';
import type { IOHandler, ModelArtifacts, SaveResult } from './types';

const DB_NAME = 'neurona_models';
const STORE = 'models';

/** One stored model: model.json (as data) and the two weight buffers it points to. */
interface StoredModel {
  modelJson: unknown;
  files: Record<string, ArrayBuffer>;
}

function idb(): IDBFactory {
  const f = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (!f) throw new Error('indexedDB: this environment has no IndexedDB (it is a browser feature)');
  return f;
}

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(): Promise<IDBDatabase> {
  const r = idb().open(DB_NAME, 1);
  r.onupgradeneeded = () => {
    if (!r.result.objectStoreNames.contains(STORE)) r.result.createObjectStore(STORE);
  };
  return request(r);
}

async function withStore<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    const tx = db.transaction(STORE, mode);
    const result = request(fn(tx.objectStore(STORE)));
    // the write is durable once the transaction completes, not when the request succeeds
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
    return await result;
  } finally {
    db.close();
  }
}

/**
 * A model in IndexedDB under `name` (database `neurona_models`). A save is one transaction, so it
 * replaces the previous model completely or not at all.
 */
export function browserIndexedDB(name: string): IOHandler {
  if (typeof name !== 'string' || name.length === 0) throw new Error(`browserIndexedDB: expected a model name, got ${String(name)}`);
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const json = modelJsonFor(artifacts, 'weights.bin', 'optimizer.bin');
      const weights = weightBytes(artifacts);
      const files: Record<string, ArrayBuffer> = { 'weights.bin': weights };
      if (artifacts.optimizerWeightData) files['optimizer.bin'] = artifacts.optimizerWeightData;
      const stored: StoredModel = { modelJson: json, files };
      await withStore('readwrite', (s) => s.put(stored, name));
      return {
        location: `indexeddb://${name}`,
        modelJsonBytes: JSON.stringify(json).length,
        weightBytes: weights.byteLength,
        optimizerBytes: artifacts.optimizerWeightData?.byteLength ?? 0,
      };
    },
    async load(): Promise<ModelArtifacts> {
      const stored = (await withStore('readonly', (s) => s.get(name))) as StoredModel | undefined;
      if (!stored) throw new ModelFileError(`indexedDB: no model named "${name}"`);
      if (typeof stored !== 'object' || stored === null || typeof stored.files !== 'object' || stored.files === null) {
        throw new ModelFileError(`indexedDB: the entry "${name}" is not a saved model`);
      }
      const json = checkModelJson(stored.modelJson, `indexeddb://${name}`);
      return artifactsFromModelJson(json, async (paths, expected, what) => {
        const bufs = paths.map((p) => {
          const b = Object.prototype.hasOwnProperty.call(stored.files, p) ? stored.files[p] : undefined;
          if (!(b instanceof ArrayBuffer)) throw new ModelFileError(`${what}: the stored model has no file "${p}"`);
          return b;
        });
        const total = bufs.reduce((n, b) => n + b.byteLength, 0);
        if (total !== expected) throw new ModelFileError(`${what}: the stored weights hold ${total} bytes but model.json declares ${expected}`);
        const out = new Uint8Array(total);
        let offset = 0;
        for (const b of bufs) {
          out.set(new Uint8Array(b), offset);
          offset += b.byteLength;
        }
        return out.buffer;
      });
    },
  };
}
