// cache (memory and file) and splitDataset.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buffer, dispose, memory, tensor, type Tensor } from '@neurona/tensor';
import { fromArrays, fromGenerator, fromIterable, splitDataset, type Dataset } from '../src/index';
import { leaked, range } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'neurona-data-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function counting(n: number): { ds: Dataset<number>; reads: () => number } {
  let reads = 0;
  const ds = fromGenerator(function* () {
    reads++;
    for (let i = 0; i < n; i++) yield i;
  });
  return { ds, reads: () => reads };
}

describe('cache() in memory', () => {
  it('reads the source once and replays the first complete pass', async () => {
    const { ds, reads } = counting(5);
    const c = ds.shuffle(5, { seed: 1 }).cache();
    const p1 = await c.toArray();
    const p2 = await c.toArray();
    expect(p2).toEqual(p1);
    expect(reads()).toBe(1);
  });

  it('a pass stopped early keeps nothing', async () => {
    const { ds, reads } = counting(5);
    const c = ds.cache();
    for await (const e of c) if (e === 1) break;
    expect(await c.toArray()).toEqual(range(5));
    expect(await c.toArray()).toEqual(range(5));
    expect(reads()).toBe(2);
  });

  it('hands out clones of its tensors and releases them on dispose()', async () => {
    const before = memory().numTensors;
    const c = fromGenerator(function* () {
      for (let i = 0; i < 3; i++) yield { x: tensor([i]), y: i };
    }).cache();
    for (let pass = 0; pass < 3; pass++) {
      const got = await c.toArray();
      expect(got.map((e) => e.x.dataSync()[0])).toEqual([0, 1, 2]);
      dispose(got.map((e) => e.x));
    }
    expect(memory().numTensors - before).toBe(3); // the cache's own
    c.map((e) => e).dispose(); // dispose reaches the cache through the chain
    expect(memory().numTensors).toBe(before);
    expect((await c.toArray()).map((e) => e.y)).toEqual([0, 1, 2]); // still usable
    c.dispose();
  });

  it('on an in-memory source keeps the first pass\'s order of rows', async () => {
    const c = fromArrays(new Float32Array(range(20))).shuffle(20, { seed: 5 }).cache();
    const a = await c.toArray();
    expect(await c.toArray()).toEqual(a);
    expect(a).not.toEqual(range(20));
  });
});

describe('cache({ file })', () => {
  const elements = () =>
    fromGenerator(function* () {
      for (let i = 0; i < 4; i++) {
        yield {
          t: tensor([[i, i + 0.5]]),
          ti: tensor([i], [1], 'int32'),
          b: tensor([i % 2 === 0], [1], 'bool'),
          s: tensor(['a' + i]),
          tb: buffer([2], 'float32', new Float32Array([i, NaN])),
          f64: new Float64Array([i / 3]),
          u8: new Uint8Array([i, 255]),
          n: i === 3 ? Infinity : i,
          str: `row ${i}`,
          flag: i > 1,
          nested: { list: [i, i * 2], tuple: ['k', i], none: null },
        };
      }
    });

  it('writes the first pass atomically and reads every kind of value back', async () => {
    const file = join(dir, 'a.cache');
    const c = elements().cache({ file });
    const first = await c.toArray();
    expect(readdirSync(dir)).toEqual(['a.cache']); // no partial file left behind
    const second = await c.toArray();
    const plain = (e: (typeof first)[number]) => ({
      t: e.t.arraySync(),
      ti: [e.ti.dtype, e.ti.arraySync()],
      b: [e.b.dtype, e.b.arraySync()],
      s: e.s.arraySync(),
      tb: [e.tb.dtype, e.tb.shape, Array.from(e.tb.values as Float32Array)],
      f64: e.f64,
      u8: e.u8,
      n: e.n,
      str: e.str,
      flag: e.flag,
      nested: e.nested,
    });
    expect(second.map(plain)).toEqual(first.map(plain));
    expect(second[2].f64).toBeInstanceOf(Float64Array);
    expect(second[3].n).toBe(Infinity);
    dispose([...first, ...second].flatMap((e) => [e.t, e.ti, e.b, e.s]));
  });

  it('is reused by a later dataset (a later run) and not rebuilt', async () => {
    const file = join(dir, 'b.cache');
    await fromIterable([1, 2, 3]).cache({ file }).toArray();
    const { ds, reads } = counting(10);
    expect(await ds.cache({ file }).toArray()).toEqual([1, 2, 3]);
    expect(reads()).toBe(0);
  });

  it('an incomplete pass leaves no file', async () => {
    const file = join(dir, 'c.cache');
    const c = fromIterable(range(10)).cache({ file });
    for await (const e of c) if (e === 4) break;
    expect(readdirSync(dir).filter((f) => f.includes('c.cache'))).toEqual([]);
    expect(await c.toArray()).toEqual(range(10));
  });

  it('says when the file is not a cache, or is truncated', async () => {
    const bad = join(dir, 'bad.cache');
    writeFileSync(bad, 'hello');
    await expect(fromIterable([1]).cache({ file: bad }).toArray()).rejects.toThrow(`is not a neurona data cache file (or one of another version); delete it to rebuild the cache`);
    const file = join(dir, 'trunc.cache');
    await fromIterable(range(5)).cache({ file }).toArray();
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 3));
    await expect(fromIterable([1]).cache({ file }).toArray()).rejects.toThrow('is truncated in element 4');
  });

  it('leaks no tensor when a pass stops early', async () => {
    const n = await leaked(async () => {
      const c = elements().cache({ file: join(dir, 'd.cache') });
      for await (const e of c) {
        dispose([e.t, e.ti, e.b, e.s] as Tensor[]);
        break;
      }
    });
    expect(n).toBe(0);
  });
});

describe('splitDataset', () => {
  it('known size: exact sizes, disjoint, covering, the same split every pass and for the same seed', async () => {
    const ds = fromIterable(range(100));
    const { train, validation } = splitDataset(ds, { validationFraction: 0.2, seed: 3 });
    expect([train.size, validation.size]).toEqual([80, 20]);
    const t = await train.toArray();
    const v = await validation.toArray();
    expect(t.length).toBe(80);
    expect(v.length).toBe(20);
    expect([...t, ...v].sort((a, b) => a - b)).toEqual(range(100));
    expect(await train.toArray()).toEqual(t);
    expect(await splitDataset(ds, { validationFraction: 0.2, seed: 3 }).validation.toArray()).toEqual(v);
    expect(await splitDataset(ds, { validationFraction: 0.2, seed: 4 }).validation.toArray()).not.toEqual(v);
    // a random subset, in the source's order
    expect(v).toEqual([...v].sort((a, b) => a - b));
    expect(v).not.toEqual(range(20).map((i) => i + 80)); // not the last 20, as a plain validation_split
    expect((await splitDataset(ds, { validationSize: 7, seed: 1 }).validation.toArray()).length).toBe(7);
  });

  it('selection sampling picks every element with the same probability', async () => {
    const hits = Array.from({ length: 10 }, () => 0);
    for (let seed = 0; seed < 2000; seed++) {
      for (const v of await splitDataset(fromIterable(range(10)), { validationSize: 3, seed }).validation.toArray()) hits[v]++;
    }
    // 600 expected each; binomial sd ≈ 20.5, allow 4.5 sd
    hits.forEach((h) => expect(Math.abs(h - 600)).toBeLessThan(92));
  });

  it('unknown size: a seeded, approximate fraction without reading ahead', async () => {
    const gen = fromGenerator(function* () {
      for (let i = 0; i < 10000; i++) yield i;
    });
    const { train, validation } = splitDataset(gen, { validationFraction: 0.25, seed: 9 });
    expect([train.size, validation.size]).toEqual(['unknown', 'unknown']);
    const v = await validation.toArray();
    const t = await train.toArray();
    expect(t.length + v.length).toBe(10000);
    expect(Math.abs(v.length - 2500)).toBeLessThan(4 * Math.sqrt(10000 * 0.25 * 0.75));
    expect(new Set([...t, ...v]).size).toBe(10000);
  });

  it('keeps an in-memory source fast (index-level) and batches its parts', async () => {
    const x = new Float32Array(range(50));
    const { train, validation } = splitDataset(fromArrays(x, x), { validationSize: 10, seed: 1 });
    const batches = await validation.batch(4).toArray();
    expect(batches.map((b) => b.x.shape[0])).toEqual([4, 4, 2]);
    const vx = batches.flatMap((b) => Array.from(b.x.dataSync()));
    const tx = (await train.toArray()).map((e) => e.x);
    expect([...vx, ...tx].sort((a, b) => a - b)).toEqual(range(50));
    dispose(batches.flatMap((b) => [b.x, b.y]));
  });

  it('releases the elements each part skips', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 20; i++) yield tensor([i]);
      }, { size: 20 });
      const { validation } = splitDataset(ds, { validationSize: 5, seed: 2 });
      dispose(await validation.toArray());
    });
    expect(n).toBe(0);
  });

  it('explains bad requests', () => {
    const ds = fromIterable(range(10));
    expect(() => splitDataset(ds, {})).toThrow('splitDataset: give exactly one of validationFraction and validationSize, got neither');
    expect(() => splitDataset(ds, { validationFraction: 1.5 })).toThrow('validationFraction must be a number in (0, 1), got the number 1.5');
    expect(() => splitDataset(ds, { validationSize: 10 })).toThrow('10 validation elements of 10 leave no training elements');
    expect(() => splitDataset(fromIterable([]), { validationSize: 1 })).toThrow('splitDataset: the dataset is empty');
    expect(() => splitDataset(ds.repeat(), { validationFraction: 0.1 })).toThrow('the dataset is infinite; split it before repeat()');
    const gen = fromGenerator(function* () {
      yield 1;
    });
    expect(() => splitDataset(gen, { validationSize: 1 })).toThrow('validationSize needs a dataset of known size');
  });
});
