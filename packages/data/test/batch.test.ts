// batch / unbatch / stackElements: every leaf kind, nested structures, and the errors for
// elements that do not match the stream's first element.
import { describe, expect, it } from 'vitest';
import { buffer, dispose, memory, tensor, tensor1d, type Tensor } from '@neurona/tensor';
import { fromGenerator, fromIterable, stackElements } from '../src/index';
import { leaked, range, values } from './helpers';

describe('stackElements', () => {
  it('stacks every leaf kind into one tensor with a batch dimension', () => {
    const b = stackElements([
      { n: 1, b: true, s: 'a', f: new Float32Array([1, 2]), i: new Int32Array([3, 4]), u: new Uint8Array([5, 6]), a: [[1, 2], [3, 4]], tb: buffer([2], 'int32', new Int32Array([7, 8])) },
      { n: 2, b: false, s: 'b', f: new Float32Array([5, 6]), i: new Int32Array([7, 8]), u: new Uint8Array([9, 10]), a: [[5, 6], [7, 8]], tb: buffer([2], 'int32', new Int32Array([9, 10])) },
    ]);
    expect([b.n.dtype, b.n.shape, values(b.n)]).toEqual(['float32', [2], [1, 2]]);
    expect([b.b.dtype, values(b.b)]).toEqual(['bool', [1, 0]]);
    expect([b.s.dtype, values(b.s)]).toEqual(['string', ['a', 'b']]);
    expect([b.f.dtype, values(b.f)]).toEqual(['float32', [[1, 2], [5, 6]]]);
    expect([b.i.dtype, values(b.i)]).toEqual(['int32', [[3, 4], [7, 8]]]);
    expect([b.u.dtype, values(b.u)]).toEqual(['int32', [[5, 6], [9, 10]]]);
    expect([b.a.shape, values(b.a)]).toEqual([[2, 2, 2], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]]);
    expect([b.tb.dtype, values(b.tb)]).toEqual(['int32', [[7, 8], [9, 10]]]);
    dispose(Object.values(b));
  });

  it('keeps tuples and nested dicts, stacks tensors (left to the caller)', () => {
    const t = [tensor1d([1, 2]), tensor1d([3, 4])];
    const b = stackElements([
      [t[0], { a: 1, b: [1, 2] }],
      [t[1], { a: 2, b: [3, 4] }],
    ]);
    expect(values(b[0])).toEqual([[1, 2], [3, 4]]);
    expect(values(b[1].a)).toEqual([1, 2]);
    expect(values(b[1].b)).toEqual([[1, 2], [3, 4]]);
    expect(t[0].isDisposed).toBe(false);
    dispose([...t, b[0], b[1].a, b[1].b]);
  });

  it('names the element, the part, what was expected and what was found', () => {
    expect(() => stackElements([{ x: [1, 2] }, { x: [1, 2, 3] }])).toThrow('stackElements: element 1: x is an array of numbers [3]; expected an array of numbers [2] (as element 0)');
    expect(() => stackElements([{ x: 1 }, { y: 1 }])).toThrow("element 1: the element is an object with keys {y}; expected an object with keys {x}");
    expect(() => stackElements([[[1], 'a'], [[1], 2]])).toThrow('element 1: [1] is the number 2; expected a string');
    // an array of numbers is a leaf, any other array a tuple
    expect(() => stackElements([[1, 'a'], [1, 2]])).toThrow('element 1: the element is an array of numbers [2]; expected a tuple of 2');
    expect(() => stackElements([{ x: null }])).toThrow('stackElements: x is null; expected a tensor');
    expect(() => stackElements([])).toThrow('expected at least one element');
    expect(() => stackElements([[[1, 2], [3]]])).toThrow('should be an array of 2 (the arrays of numbers must be rectangular), found an array of 1');
  });

  it('releases what it made when a leaf fails', async () => {
    expect(
      await leaked(() => {
        expect(() => stackElements([{ a: 1, b: [[1, 2], [3]] }])).toThrow();
      }),
    ).toBe(0);
  });
});

describe('batch', () => {
  const gen = (n: number) => fromGenerator(function* () {
    for (let i = 0; i < n; i++) yield { x: new Float32Array([i, -i]), y: i };
  }, { size: n });

  it('batches consecutive elements; the last batch is smaller unless dropRemainder', async () => {
    const out = await gen(7).batch(3).toArray();
    expect(out.map((b) => values(b.y))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(values(out[1].x)).toEqual([[3, -3], [4, -4], [5, -5]]);
    dispose(out.flatMap((b) => [b.x, b.y]));
    const dropped = await gen(7).batch(3, { dropRemainder: true }).toArray();
    expect(dropped.length).toBe(2);
    dispose(dropped.flatMap((b) => [b.x, b.y]));
    expect([gen(7).batch(3).size, gen(7).batch(3, { dropRemainder: true }).size, gen(6).batch(3).size]).toEqual([3, 2, 2]);
  });

  it('disposes the tensors of the elements it stacks', async () => {
    const before = memory().numTensors;
    const ds = fromGenerator(function* () {
      for (let i = 0; i < 10; i++) yield tensor([i, i]);
    });
    for await (const b of ds.batch(4)) {
      expect(memory().numTensors - before).toBe(1); // only the batch is alive
      b.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('names the element of a generator that yields the wrong shape mid-stream', async () => {
    const bad = fromGenerator(function* () {
      for (let i = 0; i < 20; i++) yield { x: new Float32Array(i === 13 ? 3 : 4), y: 1 };
    });
    await expect(bad.batch(5).toArray()).rejects.toThrow('batch: element 13 (item 3 of batch 2): x is a Float32Array of 3; expected a float typed array of 4, as the elements before it');
    // across batches too: an element unlike the first element of the pass
    const badType = fromGenerator(function* () {
      for (let i = 0; i < 6; i++) yield i < 4 ? { x: [1, 2], y: 0 } : { x: [1, 2], y: 'cat' };
    });
    await expect(badType.batch(4).toArray()).rejects.toThrow('batch: element 4 (item 0 of batch 1): y is the string "cat"; expected a number');
  });

  it('leaks nothing when an element is bad', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 10; i++) yield i === 6 ? tensor([1, 2, 3]) : tensor([i, i]);
      });
      await expect(ds.batch(4).toArray()).rejects.toThrow('element 6');
    });
    expect(n).toBe(0);
  });

  it('rejects bad sizes', () => {
    expect(() => gen(3).batch(0)).toThrow('batch: size must be an integer >= 1, got the number 0');
    expect(() => gen(3).batch(1.5)).toThrow('got the number 1.5');
  });
});

describe('unbatch', () => {
  it('is the inverse of batch for every leaf kind', async () => {
    const elements = range(5).map((i) => ({ t: tensor([i, 2 * i]), f: new Float32Array([i]), n: i, a: [i, i + 1], tb: buffer([2], 'float32', new Float32Array([i, 0])) }));
    const ds = fromIterable(elements).batch(2).unbatch();
    const rows = await ds.toArray();
    expect(rows.length).toBe(5);
    expect(values(rows[3].t)).toEqual([3, 6]);
    expect(values(rows[3].f)).toEqual([3]);
    expect(values(rows[3].n)).toEqual(3);
    expect(values(rows[3].a)).toEqual([3, 4]);
    expect(values(rows[3].tb)).toEqual([3, 0]);
    dispose(rows.flatMap((r) => Object.values(r) as Tensor[]));
    dispose(elements.map((e) => e.t));
  });

  it('splits host batches into rows and checks the leading dimension agrees', async () => {
    const rows = await fromIterable([{ a: new Int32Array([1, 2, 3]), b: [[1], [2], [3]] }]).unbatch().toArray();
    expect(rows).toEqual([{ a: 1, b: [1] }, { a: 2, b: [2] }, { a: 3, b: [3] }]);
    await expect(fromIterable([{ a: new Int32Array([1, 2, 3]), b: [1, 2] }]).unbatch().toArray()).rejects.toThrow('unbatch: b has 2 rows but a has 3');
    await expect(fromIterable([7]).unbatch().toArray()).rejects.toThrow('unbatch: the element is the number 7; expected a batch');
  });

  it('releases rows not yet read when the consumer stops', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 3; i++) yield tensor([[1], [2], [3], [4]]);
      }).unbatch();
      for await (const row of ds) {
        row.dispose();
        break;
      }
    });
    expect(n).toBe(0);
  });
});
