import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, randomNormal, setSeed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Dropout, Input, LeakyReLU, Concatenate, resetNames } from '@neurona/layers';
import { Model, Sequential, loadModel, saveModel } from '@neurona/models';
import type { LayersModel } from '@neurona/models';
import { Adam } from '@neurona/optimizers';
import { kerasModelBytes, loadKerasModel, loadKerasWeights, saveKerasModel, saveKerasWeights } from '../src';
import { listZip, extract } from '../src/zip/read';
import { readH5 } from '../src/h5/read';
import type { H5Group } from '../src/h5/tree';
import { fixture, maxAbsDiff } from './helpers';

/** The FlowNet architecture (fixtures/real/flownet-final-keras3.9.2.keras), built in neurona. */
function flownet(): LayersModel {
  const m = Sequential({ name: 'sequential' });
  m.add(Input({ shape: [2], name: 'input_layer' }));
  m.add(Dense(128, { activation: 'relu', kernelInitializer: 'he_normal', name: 'dense' }));
  m.add(Dropout(0.2, { name: 'dropout' }));
  m.add(Dense(64, { name: 'dense_1' }));
  m.add(LeakyReLU({ negativeSlope: 0.2, name: 'leaky_re_lu' }));
  m.add(Dense(32, { name: 'dense_2' }));
  m.add(LeakyReLU({ negativeSlope: 0.2, name: 'leaky_re_lu_1' }));
  m.add(Dense(2, { name: 'dense_3' }));
  m.compile({ loss: 'mse', optimizer: Adam(0.001) });
  return m;
}

async function trainOneStep(m: LayersModel, inputs: number): Promise<void> {
  const x = randomNormal([8, inputs]);
  const y = randomNormal([8, 2]);
  await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  x.dispose();
  y.dispose();
}

function members(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(listZip(bytes, 'test').map((e) => [e.name, extract(bytes, e, 'test')]));
}

/** Every path of an HDF5 tree with its kind, shape, dtype and attribute names. */
function describeTree(g: H5Group, prefix = ''): Record<string, string> {
  const out: Record<string, string> = { [prefix || '/']: `group attrs=${Object.keys(g.attrs).sort().join(',')}` };
  for (const [k, c] of g.children) {
    const p = `${prefix}/${k}`;
    if (c.kind === 'group') Object.assign(out, describeTree(c, p));
    else out[p] = `dataset ${c.dtype} [${c.shape.join(',')}]`;
  }
  return out;
}

function keyShape(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyShape);
  if (typeof v !== 'object' || v === null) return typeof v;
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).filter((k) => k !== 'shared_object_id').sort().map((k) => [k, k === 'config' && typeof o.class_name === 'string' && o.class_name === 'DTypePolicy' ? o[k] : keyShape(o[k])]));
}

describe('saving .keras files', () => {
  it('writes the structure Keras 3 writes: members, JSON keys, HDF5 paths, dtypes, attributes', async () => {
    resetNames();
    setSeed(3);
    const ours = flownet();
    await trainOneStep(ours, 2);
    const mine = members(await kerasModelBytes(ours));
    const keras = members(fixture('real', 'flownet-final-keras3.9.2.keras'));
    expect([...mine.keys()]).toEqual([...keras.keys()]);
    const dec = (b: Uint8Array) => JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>;
    const cm = dec(mine.get('config.json') as Uint8Array);
    const ck = dec(keras.get('config.json') as Uint8Array);
    // compile_config values differ (jit_compile), keys must not
    expect(keyShape(cm)).toEqual(keyShape(ck));
    expect(Object.keys(dec(mine.get('metadata.json') as Uint8Array))).toEqual(expect.arrayContaining(Object.keys(dec(keras.get('metadata.json') as Uint8Array))));
    const tm = describeTree(await readH5(mine.get('model.weights.h5') as Uint8Array, 'mine'));
    const tk = describeTree(await readH5(keras.get('model.weights.h5') as Uint8Array, 'keras'));
    expect(tm).toEqual(tk);
    ours.dispose();
  });

  it('reads back identically: weights, predictions, compile settings and optimizer state', async () => {
    resetNames();
    setSeed(4);
    const before = memory().numTensors;
    const dir = mkdtempSync(join(tmpdir(), 'neurona-keras-'));
    try {
      const a = Input({ shape: [3], name: 'a' });
      const b = Input({ shape: [2], name: 'b' });
      const shared = Dense(4, { activation: 'relu', name: 'shared' });
      const h = Concatenate({ name: 'cat' })([shared(Dense(4, { name: 'pa' })(a)), shared(Dense(4, { name: 'pb' })(b))]);
      const out1 = Dense(2, { activation: 'softmax', name: 'out1' })(h);
      const out2 = Dense(1, { name: 'out2' })(h);
      const model = Model({ inputs: [a, b], outputs: [out1, out2], name: 'two_heads' });
      model.compile({ loss: ['categorical_crossentropy', 'mse'], optimizer: Adam(0.01), metrics: [['accuracy'], ['mae']] });
      const xa = randomNormal([6, 3]);
      const xb = randomNormal([6, 2]);
      const raw = randomNormal([6, 2]);
      const y1 = raw.softmax();
      raw.dispose();
      const y2 = randomNormal([6, 1]);
      await model.fit([xa, xb], [y1, y2], { epochs: 2, batchSize: 3, verbose: 0 });
      const path = join(dir, 'm.keras');
      await saveKerasModel(model, path);
      expect(readdirSync(dir)).toEqual(['m.keras']);
      const back = await loadKerasModel(path);
      const p1 = model.predict([xa, xb]) as Tensor[];
      const p2 = back.predict([xa, xb]) as Tensor[];
      for (let i = 0; i < 2; i++) expect(maxAbsDiff(await p1[i].data(), await p2[i].data())).toBe(0);
      expect(back.optimizer?.iterations).toBe(model.optimizer?.iterations);
      const s1 = model.optimizer?.getWeights() ?? [];
      const s2 = back.optimizer?.getWeights() ?? [];
      expect(s2.length).toBe(s1.length);
      for (let i = 0; i < s1.length; i++) expect(maxAbsDiff(await s1[i].data(), await s2[i].data())).toBe(0);
      // training continues with the same numbers
      await model.fit([xa, xb], [y1, y2], { epochs: 1, batchSize: 6, verbose: 0, shuffle: false });
      await back.fit([xa, xb], [y1, y2], { epochs: 1, batchSize: 6, verbose: 0, shuffle: false });
      const w1 = model.getWeights();
      const w2 = back.getWeights();
      for (let i = 0; i < w1.length; i++) expect(maxAbsDiff(await w1[i].data(), await w2[i].data())).toBeLessThan(1e-6);
      for (const t of [xa, xb, y1, y2, ...p1, ...p2, ...s1, ...s2, ...w1, ...w2]) t.dispose();
      model.dispose();
      back.dispose();
      expect(memory().numTensors).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips weights-only .weights.h5 and legacy .h5, and routes loadModel/saveModel by extension', async () => {
    resetNames();
    setSeed(5);
    const dir = mkdtempSync(join(tmpdir(), 'neurona-keras-'));
    try {
      const m = flownet();
      await trainOneStep(m, 2);
      const x = randomNormal([4, 2]);
      const want = await (m.predict(x) as Tensor).data();
      await saveKerasWeights(m, join(dir, 'w.weights.h5'));
      const fresh = flownet();
      await loadKerasWeights(fresh, join(dir, 'w.weights.h5'));
      expect(maxAbsDiff(await (fresh.predict(x) as Tensor).data(), want)).toBe(0);
      await saveModel(m, join(dir, 'legacy.h5'));
      const legacy = await loadModel(join(dir, 'legacy.h5'));
      expect(maxAbsDiff(await (legacy.predict(x) as Tensor).data(), want)).toBe(0);
      expect(legacy.optimizer?.iterations).toBe(m.optimizer?.iterations);
      await saveModel(m, join(dir, 'routed.keras'));
      expect(existsSync(join(dir, 'routed.keras'))).toBe(true);
      const routed = await loadModel(join(dir, 'routed.keras'), { compile: false });
      expect(routed.optimizer).toBeNull();
      expect(maxAbsDiff(await (routed.predict(x) as Tensor).data(), want)).toBe(0);
      for (const mm of [m, fresh, legacy, routed]) mm.dispose();
      x.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads from an ArrayBuffer, a Blob/File and a URL (browser inputs)', async () => {
    const bytes = fixture('real', 'flownet-2506-keras3.9.2.keras');
    const ab = bytes.slice().buffer;
    const m1 = await loadKerasModel(ab, { compile: false });
    const m2 = await loadKerasModel(new File([bytes.slice().buffer], 'model.keras'), { compile: false });
    const fakeFetch = (async (url: string) => {
      expect(url).toBe('https://example.test/model.keras');
      return new Response(bytes.slice().buffer, { headers: { 'content-length': String(bytes.byteLength) } });
    }) as unknown as typeof fetch;
    const m3 = await loadKerasModel('https://example.test/model.keras', { compile: false, fetch: fakeFetch });
    const x = randomNormal([3, 4]);
    const r = [m1, m2, m3].map((m) => m.predict(x) as Tensor);
    expect(maxAbsDiff(await r[0].data(), await r[1].data())).toBe(0);
    expect(maxAbsDiff(await r[0].data(), await r[2].data())).toBe(0);
    for (const t of [x, ...r]) t.dispose();
    for (const m of [m1, m2, m3]) m.dispose();
  });

  it('writes atomically: a failed save leaves the old file and no temporary file', async () => {
    resetNames();
    const dir = mkdtempSync(join(tmpdir(), 'neurona-keras-'));
    try {
      const m = flownet();
      const path = join(dir, 'm.keras');
      await saveKerasModel(m, path);
      const old = readFileSync(path);
      // an activation with settings cannot be written to Keras: the save fails before touching the file
      const bad = Sequential();
      bad.add(Input({ shape: [2] }));
      bad.add(Dense(2, { activation: { className: 'leaky_relu', config: { alpha: 0.3 } } as never }));
      await expect(saveKerasModel(bad, path)).rejects.toThrow(/Keras activations take no settings/);
      expect(readFileSync(path).equals(old)).toBe(true);
      expect(readdirSync(dir)).toEqual(['m.keras']);
      m.dispose();
      bad.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
