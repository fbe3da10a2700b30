// shuffle: a permutation, reproducible by seed, new each pass unless told otherwise, the same
// order for in-memory and streamed sources, and fair (a chi-square check of positions).
import { describe, expect, it } from 'vitest';
import { clearSeed, dispose, setSeed, tensor } from '@neurona/tensor';
import { fromArrays, fromGenerator, fromIterable } from '../src/index';
import { leaked, range } from './helpers';

const gen = (n: number) =>
  fromGenerator(function* () {
    for (let i = 0; i < n; i++) yield i;
  });

describe('shuffle', () => {
  it('is a permutation; the same seed gives the same order', async () => {
    const a = await gen(100).shuffle(30, { seed: 7 }).toArray();
    const b = await gen(100).shuffle(30, { seed: 7 }).toArray();
    const c = await gen(100).shuffle(30, { seed: 8 }).toArray();
    expect([...a].sort((x, y) => x - y)).toEqual(range(100));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(range(100));
  });

  it('reshuffles each pass (reproducibly) unless reshuffleEachIteration is false', async () => {
    const ds = gen(50).shuffle(50, { seed: 3 });
    const p1 = await ds.toArray();
    const p2 = await ds.toArray();
    expect(p1).not.toEqual(p2);
    const again = gen(50).shuffle(50, { seed: 3 });
    expect([await again.toArray(), await again.toArray()]).toEqual([p1, p2]);
    const fixed = gen(50).shuffle(50, { seed: 3, reshuffleEachIteration: false });
    expect([await fixed.toArray(), await fixed.toArray()]).toEqual([p1, p1]);
  });

  it('follows setSeed when no seed is given', async () => {
    setSeed(42);
    const a = await gen(40).shuffle(40).toArray();
    setSeed(42);
    const b = await gen(40).shuffle(40).toArray();
    clearSeed();
    expect(a).toEqual(b);
  });

  it('a buffer of 1 keeps the order; a small buffer moves elements only so far back', async () => {
    expect(await gen(20).shuffle(1, { seed: 1 }).toArray()).toEqual(range(20));
    const out = await gen(200).shuffle(10, { seed: 1 }).toArray();
    // tf.data's buffer: the element at output position p was read among the first p + 10
    out.forEach((v, p) => expect(v).toBeLessThan(p + 10));
  });

  it('gives in-memory (index) and streamed datasets the same order for the same seed', async () => {
    const x = new Float32Array(range(300));
    const fromMemory = await fromArrays(x).shuffle(64, { seed: 11 }).take(300).toArray();
    const streamed = await fromIterable(range(300)).shuffle(64, { seed: 11 }).toArray();
    expect(fromMemory).toEqual(streamed);
    const ds = fromArrays(x).shuffle(64, { seed: 11 });
    await ds.toArray();
    const s2 = fromIterable(range(300)).shuffle(64, { seed: 11 });
    await s2.toArray();
    expect(await ds.toArray()).toEqual(await s2.toArray()); // second passes too
  });

  it('a full buffer is a fair shuffle: each value is uniform over positions (chi-square)', async () => {
    // 4 values, 24,000 shuffles: the count of value 0 at each position
    const n = 4;
    const trials = 24000;
    const counts = Array.from({ length: n }, () => Array.from({ length: n }, () => 0));
    const ds = fromIterable(range(n)).shuffle(n, { seed: 99 });
    for (let t = 0; t < trials; t++) {
      const order = await ds.toArray();
      order.forEach((v, pos) => counts[v][pos]++);
    }
    const expected = trials / n;
    const chi2 = counts.flat().reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    // 9 degrees of freedom (a 4×4 table with fixed margins); P(χ² > 27.88) = 0.001
    expect(chi2).toBeLessThan(27.88);
  });

  it('releases its buffer when the consumer stops early', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 50; i++) yield tensor([i]);
      }).shuffle(20, { seed: 1 });
      let k = 0;
      for await (const t of ds) {
        t.dispose();
        if (++k === 3) break;
      }
    });
    expect(n).toBe(0);
  });

  it('checks its arguments', () => {
    expect(() => gen(3).shuffle(0)).toThrow('shuffle: bufferSize must be an integer >= 1, got the number 0');
    expect(() => gen(3).shuffle(2, { seed: NaN })).toThrow('shuffle: seed must be a finite number, got NaN');
  });

  it('keeps tensors intact through the buffer', async () => {
    const out = await fromGenerator(function* () {
      for (let i = 0; i < 10; i++) yield tensor([i, -i]);
    })
      .shuffle(4, { seed: 2 })
      .toArray();
    const rows = out.map((t) => t.arraySync() as number[]);
    expect(rows.map((r) => r[0]).sort((a, b) => a - b)).toEqual(range(10));
    rows.forEach((r) => expect(r[0] + r[1]).toBe(0));
    dispose(out);
  });
});
