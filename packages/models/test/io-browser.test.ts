import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispose, randomNormal, setSeed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { Sequential } from '../src/sequential';
import type { LayersModel } from '../src/model';
import { browserFiles, http, loadModel, ModelFileError, modelToArtifacts, saveModel } from '../src/io';
import { modelJsonFor } from '../src/io/model-json';
import { maxAbsDiff } from './io-helpers';

// The browser handlers, run in Node against small stand-ins for IndexedDB, anchors + Blob URLs,
// fetch and File objects.

let model: LayersModel;
let x: Tensor;
let expected: Tensor;

beforeEach(() => {
  resetNames();
  setSeed(9);
  model = Sequential([Dense(4, { inputShape: [3], activation: 'relu' }), Dense(2, { activation: 'softmax' })]);
  model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
  x = randomNormal([5, 3]);
  expected = model.predict(x) as Tensor;
});
afterEach(() => {
  dispose([x, expected]);
  model.dispose();
});

function samePredictions(loaded: LayersModel): void {
  const y = loaded.predict(x) as Tensor;
  expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
  y.dispose();
  loaded.dispose();
}

/** Just enough of IndexedDB: one database, object stores of structured clones, async requests. */
function fakeIndexedDB(): IDBFactory {
  const stores = new Map<string, Map<IDBValidKey, unknown>>();
  const later = (fn: () => void) => setTimeout(fn, 0);
  const req = <T>(compute: () => T, tx?: { done: () => void }) => {
    const r = { result: undefined as T | undefined, error: null, onsuccess: null as null | (() => void), onerror: null };
    later(() => {
      r.result = compute();
      r.onsuccess?.();
      tx?.done();
    });
    return r;
  };
  const db = {
    objectStoreNames: { contains: (n: string) => stores.has(n) },
    createObjectStore: (n: string) => stores.set(n, new Map()),
    transaction: (name: string) => {
      const tx = { oncomplete: null as null | (() => void), onerror: null, onabort: null, error: null, done: () => later(() => tx.oncomplete?.()) };
      const store = stores.get(name) as Map<IDBValidKey, unknown>;
      return {
        ...tx,
        get oncomplete() {
          return tx.oncomplete;
        },
        set oncomplete(f) {
          tx.oncomplete = f;
        },
        objectStore: () => ({
          put: (v: unknown, k: IDBValidKey) => req(() => void store.set(k, structuredClone(v)), tx),
          get: (k: IDBValidKey) => req(() => structuredClone(store.get(k)), tx),
        }),
      };
    },
    close: () => undefined,
  };
  return {
    open: () => {
      const r = { result: db, error: null, onsuccess: null as null | (() => void), onerror: null, onupgradeneeded: null as null | (() => void) };
      later(() => {
        if (stores.size === 0) r.onupgradeneeded?.();
        r.onsuccess?.();
      });
      return r;
    },
  } as unknown as IDBFactory;
}

describe('IndexedDB', () => {
  const g = globalThis as { indexedDB?: IDBFactory };
  beforeEach(() => {
    g.indexedDB = fakeIndexedDB();
  });
  afterEach(() => {
    delete g.indexedDB;
  });

  it('saves to and loads from indexeddb://name, optimizer state included', async () => {
    const res = await saveModel(model, 'indexeddb://my-model');
    expect(res.location).toBe('indexeddb://my-model');
    const loaded = await loadModel('indexeddb://my-model');
    expect(loaded.isCompiled).toBe(true);
    samePredictions(loaded);
  });

  it('says when there is no such model, or no IndexedDB at all', async () => {
    await expect(loadModel('indexeddb://nope')).rejects.toThrow(/indexedDB: no model named "nope"/);
    delete g.indexedDB;
    await expect(saveModel(model, 'indexeddb://x')).rejects.toThrow(/this environment has no IndexedDB/);
  });
});

describe('downloads and File objects', () => {
  it('downloads://name triggers one download per file; browserFiles reads them back', async () => {
    const g = globalThis as { document?: unknown };
    const blobs = new Map<string, Blob>();
    const downloads: string[] = [];
    const originalCreate = URL.createObjectURL;
    URL.createObjectURL = (b: Blob) => {
      const href = `blob:${blobs.size}`;
      blobs.set(href, b);
      return href;
    };
    g.document = { createElement: () => ({ download: '', href: '', click() { downloads.push(`${this.download} ${this.href}`); } }) };
    try {
      const res = await saveModel(model, 'downloads://mnist');
      expect(res.location).toBe('downloads://mnist');
      expect(downloads.map((d) => d.split(' ')[0])).toEqual(['mnist.json', 'mnist.weights.bin', 'mnist.optimizer.bin']);
      const files = await Promise.all(
        downloads.map(async (d) => {
          const [name, href] = d.split(' ');
          return new File([await (blobs.get(href) as Blob).arrayBuffer()], name);
        }),
      );
      samePredictions(await loadModel(browserFiles(files)));
      // a missing or resized file is named
      await expect(loadModel(browserFiles(files.slice(0, 2)))).rejects.toThrow(/lists "mnist\.optimizer\.bin" but no file named "mnist\.optimizer\.bin" was given/);
      const cut = new File([(await files[1].arrayBuffer()).slice(0, 10)], 'mnist.weights.bin');
      await expect(loadModel(browserFiles([files[0], cut, files[2]]))).rejects.toThrow(/weight files hold 10 bytes but model\.json declares 104; they are truncated/);
      await expect(loadModel(browserFiles([files[1]]))).rejects.toThrow(/expected exactly one \.json file \(model\.json\), got 0/);
    } finally {
      URL.createObjectURL = originalCreate;
      delete g.document;
    }
  });

  it('downloads:// outside a browser says so', async () => {
    await expect(saveModel(model, 'downloads://m')).rejects.toThrow(/browserDownloads: needs a browser/);
  });
});

describe('http(s) URLs', () => {
  async function server(paths?: { weights: string; optimizer: string }) {
    const art = await modelToArtifacts(model);
    const json = modelJsonFor(art, paths?.weights ?? 'group1-shard1of1.bin', paths?.optimizer ?? 'optimizer-shard1of1.bin');
    const files = new Map<string, ArrayBuffer | string>([
      ['https://models.example/m/model.json', JSON.stringify(json)],
      [`https://models.example/m/${paths?.weights ?? 'group1-shard1of1.bin'}`, art.weightData as ArrayBuffer],
      [`https://models.example/m/${paths?.optimizer ?? 'optimizer-shard1of1.bin'}`, art.optimizerWeightData as ArrayBuffer],
      ['https://models.example/secret.bin', new ArrayBuffer(112)],
    ]);
    const requested: string[] = [];
    const fetchFn = async (url: string) => {
      requested.push(url);
      const body = files.get(url);
      if (body === undefined) return new Response('not found', { status: 404 });
      return new Response(body);
    };
    return { fetch: fetchFn, requested, files };
  }

  it('loads model.json and its weights with fetch', async () => {
    const s = await server();
    samePredictions(await loadModel(http('https://models.example/m/model.json', { fetch: s.fetch })));
    expect(s.requested).toEqual([
      'https://models.example/m/model.json',
      'https://models.example/m/group1-shard1of1.bin',
      'https://models.example/m/optimizer-shard1of1.bin',
    ]);
  });

  it('refuses weight URLs outside the model folder, even percent-encoded', async () => {
    const s = await server({ weights: '%2e%2e/secret.bin', optimizer: 'optimizer-shard1of1.bin' });
    await expect(loadModel(http('https://models.example/m/model.json', { fetch: s.fetch }))).rejects.toThrow(
      /weight path "%2e%2e\/secret\.bin" resolves to https:\/\/models\.example\/secret\.bin, outside https:\/\/models\.example\/m\/; refusing to fetch it/,
    );
    expect(s.requested).not.toContain('https://models.example/secret.bin');
  });

  it('checks Content-Length before reading a body, and reports HTTP errors', async () => {
    const s = await server();
    const big = async (url: string) => {
      if (url.endsWith('.bin')) return new Response(new ArrayBuffer(4), { headers: { 'content-length': String(2 ** 40) } });
      return s.fetch(url);
    };
    await expect(loadModel(http('https://models.example/m/model.json', { fetch: big }))).rejects.toThrow(/is 1099511627776 bytes, more than the 104 model\.json leaves for it/);
    await expect(loadModel(http('https://models.example/other/model.json', { fetch: s.fetch }))).rejects.toThrow(/GET https:\/\/models\.example\/other\/model\.json failed with status 404/);
    await expect(saveModel(model, 'https://models.example/m/model.json')).rejects.toThrow(/cannot save models \(it has no save method\)/);
  });
});

describe('locations', () => {
  it('an object that is not a handler, and a handler that only saves', async () => {
    await expect(loadModel(42 as never)).rejects.toThrow(/expected a folder path, 'indexeddb:\/\/name', 'downloads:\/\/name', an http\(s\) URL or an IOHandler/);
    await expect(loadModel({ save: async () => ({}) } as never)).rejects.toThrow(/this IOHandler cannot load models/);
    const error = await loadModel({ load: async () => ({ modelTopology: null, weightSpecs: [], weightData: new ArrayBuffer(0) }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
  });
});
