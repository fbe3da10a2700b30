import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng, memory, ones, randomNormal, setSeed, zeros } from '@neurona/tensor';
import { Activation, Add, Concatenate, Dense, Dropout, Input, LeakyReLU, Maxout, resetNames } from '@neurona/layers';
import { Adam } from '@neurona/optimizers';
import { Model } from '../src/functional';
import { browserFiles, loadModel, ModelFileError, modelToArtifacts } from '../src/io';
import type { FileLike } from '../src/io';
import { modelJsonFor } from '../src/io/model-json';

// Mutation fuzzing of the loader: a good saved model (model.json + weights + optimizer state),
// then thousands of broken variants — byte flips, truncations, JSON value replacements, deleted
// and added keys, hostile keys, resized weight files. Every case must end in a clean load or a
// ModelFileError with a message, leak no tensor and pollute no prototype. The seed makes any
// failure reproducible.

const SEED = 20240607;
const CASES = { byteFlips: 1000, truncations: 300, jsonValues: 1800, jsonKeys: 500, binaries: 400, arbitrary: 1000 };

class MemFile implements FileLike {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}
  get size(): number {
    return this.bytes.byteLength;
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(this.bytes);
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.bytes.slice().buffer;
  }
}

let goodJson = '';
let weights = new Uint8Array();
let optimizer = new Uint8Array();

beforeAll(async () => {
  resetNames();
  setSeed(1);
  const a = Input({ shape: [4], name: 'a' });
  const b = Input({ shape: [4], name: 'b' });
  const h1 = Dense(3, { activation: 'relu', name: 'd1' })(a);
  const h2 = LeakyReLU({ name: 'lr' })(Dense(3, { name: 'd2' })(b));
  const cat = Concatenate({ name: 'cat' })([h1, h2]);
  const sum = Add({ name: 'add' })([h1, h2]);
  const m = Maxout(2, { name: 'mx' })(Dropout(0.2, { name: 'drop' })(Concatenate({ name: 'cat2' })([cat, sum])));
  const out = Activation('softmax', { name: 'act' })(Dense(2, { name: 'd3' })(m));
  const model = Model({ inputs: [a, b], outputs: out, name: 'fuzzed' });
  model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] });
  const xa = randomNormal([4, 4]);
  const xb = randomNormal([4, 4]);
  const y = ones([4, 2]).div(2);
  await model.fit([xa, xb], y, { epochs: 1, batchSize: 4, verbose: 0 });
  const art = await modelToArtifacts(model);
  goodJson = JSON.stringify(modelJsonFor(art, 'w.bin', 'o.bin'));
  weights = new Uint8Array(art.weightData as ArrayBuffer);
  optimizer = new Uint8Array(art.optimizerWeightData as ArrayBuffer);
  for (const t of [xa, xb, y]) t.dispose();
  model.dispose();
  void zeros;
});

afterAll(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

const enc = new TextEncoder();
const outcomes = { loaded: 0, rejected: 0 };

async function attempt(json: string | Uint8Array, w: Uint8Array = weights, o: Uint8Array = optimizer, what = ''): Promise<void> {
  const jsonBytes = typeof json === 'string' ? enc.encode(json) : json;
  const files = [new MemFile('model.json', jsonBytes), new MemFile('w.bin', w), new MemFile('o.bin', o)];
  const before = memory().numTensors;
  let outcome = 'loaded';
  try {
    const model = await loadModel(browserFiles(files));
    model.dispose();
    outcomes.loaded++;
  } catch (e) {
    outcome = `rejected: ${(e as Error).message}`;
    outcomes.rejected++;
    if (!(e instanceof ModelFileError) || e.message.length < 10) {
      throw new Error(`${what}: expected a ModelFileError with a message, got ${(e as Error)?.name}: ${(e as Error)?.message}`, { cause: e });
    }
  }
  const after = memory().numTensors;
  if (after !== before) throw new Error(`${what}: ${after - before} tensors leaked (${outcome})`);
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error(`${what}: Object.prototype was polluted`);
}

type J = null | boolean | number | string | J[] | { [k: string]: J };

// every value position of a JSON document, as a path of keys and indices
function paths(v: J, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) paths(v[k], [...at, k], out);
  return out;
}

function setAt(root: J, path: (string | number)[], value: J | undefined): J {
  if (path.length === 0) return value === undefined ? null : value;
  let node = root as Record<string | number, J>;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, J>;
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

function getAt(root: J, path: (string | number)[]): J {
  let node: J = root;
  for (const k of path) node = (node as Record<string | number, J>)[k];
  return node;
}

describe('fuzzing the loader', () => {
  const rng = createRng(SEED);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const weird: J[] = [
    null, true, false, 0, -1, 1, 2.5, -0.5, 1e9, 2 ** 31, 2 ** 53, -(2 ** 40), 1e308, '', 'x', 'NaN', 'Infinity', '../x.bin', '/etc/passwd',
    '__proto__', 'constructor', 'float64', 'int32', 'bool', 'Dense', 'neurona>Maxout', 'InputLayer', 'Sequential', [], [null], [1, 2, 3],
    [-1, 4], [0], [2 ** 31, 2 ** 31], {}, { class_name: 'Dense', config: {} }, { className: 'Adam', config: { learningRate: -1 } },
    'a'.repeat(5000), [[['input', 0, 0, {}]]],
  ];

  it(`survives ${CASES.byteFlips} byte flips of model.json`, async () => {
    const good = enc.encode(goodJson);
    for (let i = 0; i < CASES.byteFlips; i++) {
      const bytes = good.slice();
      const flips = 1 + int(4);
      for (let f = 0; f < flips; f++) bytes[int(bytes.length)] = int(256);
      await attempt(bytes, weights, optimizer, `byte flip case ${i}`);
    }
  });

  it(`survives ${CASES.truncations} truncations of model.json`, async () => {
    for (let i = 0; i < CASES.truncations; i++) await attempt(goodJson.slice(0, int(goodJson.length)), weights, optimizer, `truncation case ${i}`);
  });

  it(`survives ${CASES.jsonValues} JSON value replacements`, async () => {
    const good = JSON.parse(goodJson) as J;
    const all = paths(good);
    for (let i = 0; i < CASES.jsonValues; i++) {
      const doc = JSON.parse(goodJson) as J;
      const edits = 1 + int(3);
      for (let e = 0; e < edits; e++) {
        const p = pick(all);
        let parent: J;
        try {
          parent = getAt(doc, p.slice(0, -1));
        } catch {
          continue; // an earlier edit removed the parent
        }
        if (p.length > 0 && (parent === null || typeof parent !== 'object')) continue;
        const r = rng();
        if (r < 0.6) setAt(doc, p, pick(weird));
        else if (r < 0.8) setAt(doc, p, undefined);
        else if (r < 0.9) setAt(doc, p, JSON.parse(JSON.stringify(getAt(good, pick(all)) ?? null)) as J);
        else {
          const v = getAt(doc, p);
          if (typeof v === 'number') setAt(doc, p, v * pick([-1, 0, 1000, 1e6, 0.5]));
        }
      }
      await attempt(JSON.stringify(doc), weights, optimizer, `json value case ${i}`);
    }
  });

  it(`survives ${CASES.jsonKeys} added and renamed keys, hostile ones included`, async () => {
    const good = JSON.parse(goodJson) as J;
    const objects = paths(good).filter((p) => {
      const v = getAt(good, p);
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    });
    const keys = ['__proto__', 'constructor', 'prototype', 'polluted', 'class_name', 'config', 'units', 'name', 'paths', 'weights', 'shape', 'toString'];
    for (let i = 0; i < CASES.jsonKeys; i++) {
      const p = pick(objects);
      const key = pick(keys);
      const value = JSON.stringify(pick([{ polluted: true }, 1, 'x', null, [1]] as J[]));
      const inner = JSON.stringify(getAt(good, p)).slice(1);
      // splice the key in as text: JSON.stringify would drop a __proto__ set on an object
      const mutated = `{"${key}":${value}${inner.length > 1 ? ',' : ''}${inner}`;
      const doc = JSON.stringify(setAt(JSON.parse(goodJson) as J, p, '\u0000MARK\u0000')).replace('"\\u0000MARK\\u0000"', mutated);
      await attempt(doc, weights, optimizer, `json key case ${i} (${key} at ${p.join('.')})`);
    }
  });

  it(`survives ${CASES.binaries} resized and corrupted weight files`, async () => {
    for (let i = 0; i < CASES.binaries; i++) {
      const which = int(2);
      const src = which === 0 ? weights : optimizer;
      let bytes: Uint8Array;
      const r = rng();
      if (r < 0.35) bytes = src.slice(0, int(src.length));
      else if (r < 0.7) {
        bytes = new Uint8Array(src.length + 1 + int(64));
        bytes.set(src);
      } else {
        bytes = src.slice();
        for (let f = 0; f < 1 + int(16); f++) bytes[int(bytes.length)] = int(256);
      }
      await attempt(goodJson, which === 0 ? bytes : weights, which === 1 ? bytes : optimizer, `binary case ${i}`);
    }
  });

  it(`survives ${CASES.arbitrary} arbitrary JSON documents and manifests (fast-check)`, async () => {
    const good = JSON.parse(goodJson) as { weightsManifest: J };
    const runs = CASES.arbitrary / 2;
    await fc.assert(fc.asyncProperty(fc.json(), async (text) => attempt(text, weights, optimizer, `json ${text.slice(0, 200)}`)), { numRuns: runs, seed: SEED });
    const manifest = fc.array(
      fc.record({
        paths: fc.array(fc.oneof(fc.constant('w.bin'), fc.constant('o.bin'), fc.string()), { maxLength: 3 }),
        weights: fc.array(
          fc.record({ name: fc.oneof(fc.constant('d1/kernel'), fc.string()), shape: fc.array(fc.oneof(fc.integer(), fc.double()), { maxLength: 4 }), dtype: fc.oneof(fc.constantFrom('float32', 'int32', 'bool'), fc.string()) }),
          { maxLength: 4 },
        ),
      }),
      { maxLength: 3 },
    );
    await fc.assert(
      fc.asyncProperty(manifest, async (m) => attempt(JSON.stringify({ ...good, weightsManifest: m }), weights, optimizer, `manifest ${JSON.stringify(m).slice(0, 200)}`)),
      { numRuns: runs, seed: SEED },
    );
  });

  it('ran every case, and some of them still loaded', () => {
    const total = Object.values(CASES).reduce((a, b) => a + b, 0);
    expect(outcomes.loaded + outcomes.rejected).toBe(total);
    expect(outcomes.loaded).toBeGreaterThan(0);
    expect(outcomes.rejected).toBeGreaterThan(total / 2);
    console.log(`fuzz: ${total} cases, ${outcomes.loaded} loaded, ${outcomes.rejected} rejected with a ModelFileError`);
  });
});
