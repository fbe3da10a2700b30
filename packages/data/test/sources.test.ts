// fromArrays, fromGenerator, fromIterable, fromStream: elements, sizes, ownership, re-reading.
import { Readable } from 'node:stream';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { dispose, gather, memory, tensor, tensor1d, tensor2d, type Tensor } from '@neurona/tensor';
import { fromArrays, fromGenerator, fromIterable, fromStream } from '../src/index';
import { leaked, range, values } from './helpers';

describe('fromArrays', () => {
  const x = () => tensor2d(range(40), [10, 4]);
  const y = () => tensor1d(range(10).map((i) => i % 3), 'int32');

  it('batches rows of tensors by row copy: the same values as gather, the same dtype', async () => {
    const [xt, yt] = [x(), y()];
    const ds = fromArrays(xt, yt).shuffle(10, { seed: 4 }).batch(4);
    expect(ds.size).toBe(3);
    const order: number[] = [];
    for await (const b of ds) {
      const rows = (b.x.arraySync() as number[][]).map((r) => r[0] / 4);
      order.push(...rows);
      const g = gather(xt, tensor1d(rows, 'int32'));
      expect(values(b.x)).toEqual(values(g));
      expect(b.y.dtype).toBe('int32');
      expect(values(b.y)).toEqual(rows.map((i) => i % 3));
      dispose([g, b.x, b.y]);
    }
    expect([...order].sort((a, b) => a - b)).toEqual(range(10));
    expect(order).not.toEqual(range(10));
    expect(xt.isDisposed).toBe(false); // the data stays the caller's
    dispose([xt, yt]);
  });

  it('yields per-sample elements when not batched', async () => {
    const xt = x();
    const out = await fromArrays(xt, new Float32Array(range(10))).skip(8).toArray();
    expect(out.map((e) => [values(e.x), e.y])).toEqual([
      [[32, 33, 34, 35], 8],
      [[36, 37, 38, 39], 9],
    ]);
    dispose([xt, ...out.map((e) => e.x)]);
  });

  it('takes typed arrays, arrays of numbers, arrays of typed arrays, dicts and tuples', async () => {
    const rows = range(6).map((i) => new Float32Array([i, i + 0.5]));
    const ds = fromArrays({ img: rows, meta: range(6).map((i) => [[i], [-i]]) }, new Int32Array(range(6)), range(6).map((i) => i / 10));
    const [b] = await ds.batch(6).toArray();
    expect(b.x.img.shape).toEqual([6, 2]);
    expect(values(b.x.meta)).toEqual(range(6).map((i) => [[i], [-i]]));
    expect([b.y.dtype, values(b.y)]).toEqual(['int32', range(6)]);
    expect(b.sampleWeight.dataSync()[3]).toBeCloseTo(0.3);
    dispose([b.x.img, b.x.meta, b.y, b.sampleWeight]);
    const [t0, t1] = [x(), x()];
    const [pair] = await fromArrays([t0, t1]).take(1).toArray();
    expect(pair.length).toBe(2);
    dispose([t0, t1, ...pair]);
  });

  it('index-level take/skip/repeat/cache keep their counts and order', async () => {
    const ds = fromArrays(new Float32Array(range(10)));
    expect(await ds.skip(2).take(3).repeat(2).toArray()).toEqual([2, 3, 4, 2, 3, 4]);
    expect(ds.skip(2).take(3).repeat(2).size).toBe(6);
    const b = await ds.repeat(2).batch(6).toArray();
    expect(b.map((t) => values(t))).toEqual([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 0, 1], [2, 3, 4, 5, 6, 7], [8, 9]]);
    dispose(b);
  });

  it('leaks nothing when a batch loop stops early', async () => {
    const xt = x();
    const n = await leaked(async () => {
      for await (const b of fromArrays(xt, xt).batch(3)) {
        dispose([b.x, b.y]);
        break;
      }
    });
    expect(n).toBe(0);
    xt.dispose();
  });

  it('explains bad data', async () => {
    const xt = x();
    expect(() => fromArrays(xt, new Float32Array(9))).toThrow('fromArrays: x has 10 samples but y has 9; expected the same number of samples in every array');
    expect(() => fromArrays({ a: xt, b: [[1], [2], [3]] })).toThrow('fromArrays: x.a has 10 samples but x.b has 3');
    expect(() => fromArrays([[1, 2], [3]])).toThrow('fromArrays: x[1] should be an array of 2 (the arrays must be rectangular), found an array of numbers [1]');
    expect(() => fromArrays([new Float32Array(2), new Float32Array(3)])).toThrow('fromArrays: x[1] is a Float32Array of 3; expected a float typed array of 2 like row 0');
    expect(() => fromArrays('abc' as never)).toThrow('fromArrays: x is the string "abc"; expected a tensor');
    expect(() => fromArrays(xt, undefined, xt)).toThrow('sampleWeight needs y');
    const ds = fromArrays(xt).batch(2);
    xt.dispose();
    await expect(ds.toArray()).rejects.toThrow('fromArrays: the tensor x [10, 4] was disposed while the dataset still reads it');
  });

  it('is typed: { x, y } of samples, tensors when batched', () => {
    const ds = fromArrays(tensor2d([[1]]), new Float32Array(1));
    expectTypeOf(ds).toMatchTypeOf<AsyncIterable<{ x: Tensor; y: number }>>();
    expectTypeOf(ds.batch(2)).toMatchTypeOf<AsyncIterable<{ x: Tensor; y: Tensor }>>();
    expectTypeOf(fromArrays({ a: [[1, 2]], b: [new Uint8Array(2)] })).toMatchTypeOf<AsyncIterable<{ a: number[]; b: Uint8Array }>>();
    dispose(ds as never);
  });
});

describe('fromGenerator and fromIterable', () => {
  it('a generator function is called again on every pass', async () => {
    let calls = 0;
    const ds = fromGenerator(function* () {
      calls++;
      yield* [1, 2, 3];
    });
    expect([await ds.toArray(), await ds.toArray(), calls]).toEqual([[1, 2, 3], [1, 2, 3], 2]);
    expect(ds.size).toBe('unknown');
    const a = fromGenerator(async function* () {
      yield 'a';
    });
    expect(await a.toArray()).toEqual(['a']);
  });

  it('a one-shot iterator says so when read twice', async () => {
    function* g() {
      yield 1;
    }
    const ds = fromIterable(g());
    expect(await ds.toArray()).toEqual([1]);
    await expect(ds.toArray()).rejects.toThrow('fromIterable: this dataset reads a one-shot iterator (a generator object or a stream) that an earlier pass consumed');
    const c = fromIterable(g()).cache();
    expect([await c.toArray(), await c.toArray()]).toEqual([[1], [1]]);
  });

  it('an array is re-iterable, has a size, and hands out clones of its tensors', async () => {
    const ts = [tensor([1]), tensor([2])];
    const ds = fromIterable(ts);
    expect(ds.size).toBe(2);
    for (let pass = 0; pass < 2; pass++) {
      const got = await ds.toArray();
      expect(got.map((t) => t.dataSync()[0])).toEqual([1, 2]);
      dispose(got);
    }
    expect(ts.every((t) => !t.isDisposed)).toBe(true);
    dispose(ts);
  });

  it('checks a declared size', async () => {
    const three = function* () {
      yield* [1, 2, 3];
    };
    expect(fromGenerator(three, { size: 3 }).size).toBe(3);
    await expect(fromGenerator(three, { size: 2 }).toArray()).rejects.toThrow('fromGenerator: the dataset was declared with size 2 but yielded more elements');
    await expect(fromGenerator(three, { size: 5 }).toArray()).rejects.toThrow('declared with size 5 but yielded 3 elements');
    expect(() => fromGenerator(three, { size: -1 })).toThrow("fromGenerator: size must be an integer >= 0, 'unknown' or 'infinite', got the number -1");
  });

  it('says what it got instead of a generator', async () => {
    expect(() => fromGenerator(5 as never)).toThrow('fromGenerator: expected a generator function or an iterable, got the number 5');
    await expect(fromGenerator((() => 5) as never).toArray()).rejects.toThrow('fromGenerator: the function must return an iterable or iterator (a generator), got the number 5');
  });

  it('async generators typecheck without casts', () => {
    const ds = fromGenerator(async function* () {
      yield { x: tensor([1]), y: tensor([0]) };
    });
    expectTypeOf(ds).toMatchTypeOf<AsyncIterable<{ x: Tensor; y: Tensor }>>();
    const tuples = fromGenerator(async function* () {
      yield [new Float32Array(2), 1] as [Float32Array, number];
    });
    expectTypeOf(tuples.batch(2)).toMatchTypeOf<AsyncIterable<[Tensor, Tensor]>>();
  });

  it('hands a generator\'s tensors to the consumer and leaks none on break', async () => {
    const before = memory().numTensors;
    for await (const t of fromGenerator(function* () {
      for (let i = 0; i < 10; i++) yield tensor([i]);
    })) {
      t.dispose();
      if (t.isDisposed) break;
    }
    expect(memory().numTensors).toBe(before);
  });
});

describe('fromStream', () => {
  it('reads a Node object stream once, or on every pass from a function', async () => {
    const ds = fromStream(Readable.from([{ a: 1 }, { a: 2 }]));
    expect(await ds.toArray()).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(ds.toArray()).rejects.toThrow('fromStream: a stream can be read once and an earlier pass read it; pass a function that opens the stream');
    const again = fromStream(() => Readable.from([1, 2, 3]));
    expect([await again.toArray(), await again.toArray()]).toEqual([[1, 2, 3], [1, 2, 3]]);
  });

  it('reads a web ReadableStream and cancels it when stopped early', async () => {
    let cancelled = false;
    let i = 0;
    const stream = new ReadableStream<number>({
      pull(c) {
        c.enqueue(i++);
      },
      cancel() {
        cancelled = true;
      },
    });
    const got: number[] = [];
    for await (const v of fromStream(stream)) {
      got.push(v);
      if (got.length === 3) break;
    }
    expect(got).toEqual([0, 1, 2]);
    expect(cancelled).toBe(true);
  });

  it('destroys a Node stream when stopped early', async () => {
    const s = Readable.from((function* () {
      for (let k = 0; ; k++) yield k;
    })());
    for await (const v of fromStream(s)) if (v === 2) break;
    expect(s.destroyed).toBe(true);
  });
});
