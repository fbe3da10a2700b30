// map, filter, take, skip, repeat, concatenate, zip, window, prefetch: values, order,
// cardinality, and the tensors each releases.
import { describe, expect, it } from 'vitest';
import { dispose, memory, scalar, tensor, type Tensor } from '@neurona/tensor';
import { fromGenerator, fromIterable, stackElements, zip, type Dataset } from '../src/index';
import { leaked, range, values } from './helpers';

const numbers = (n: number): Dataset<number> => fromIterable(range(n));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('map', () => {
  it('applies sync and async functions in order', async () => {
    expect(await numbers(5).map((x) => x * 2).toArray()).toEqual([0, 2, 4, 6, 8]);
    expect(await numbers(5).map(async (x) => x + 1).toArray()).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps the input order with parallel async calls, and runs them concurrently', async () => {
    let running = 0;
    let most = 0;
    const out = await numbers(12)
      .map(
        async (x) => {
          running++;
          most = Math.max(most, running);
          await sleep((12 - x) * 2); // later elements finish first
          running--;
          return x;
        },
        { parallelism: 4 },
      )
      .toArray();
    expect(out).toEqual(range(12));
    expect(most).toBe(4);
  });

  it('runs plain functions inside tidy and releases the input tensors the result does not hold', async () => {
    const before = memory().numTensors;
    const ds = fromGenerator(function* () {
      for (let i = 0; i < 4; i++) yield { x: tensor([i, i]), y: tensor([i]), z: tensor([0]) };
    }).map(({ x, y }) => ({ x: x.add(1).mul(2), y })); // add's result is an intermediate; z is dropped
    for await (const e of ds) {
      expect(memory().numTensors - before).toBe(2);
      dispose([e.x, e.y]);
    }
    expect(memory().numTensors).toBe(before);
  });

  it('names the element a function fails on and releases it', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 5; i++) yield tensor([i]);
      }).map((t) => {
        if ((t.dataSync()[0] as number) === 3) throw new Error('bad value');
        return t.neg();
      });
      await expect(ds.toArray()).rejects.toThrow('map: the function failed on element 3: bad value');
    });
    expect(n).toBe(0);
  });

  it('refuses a plain function that returns a promise (tidy cannot follow it)', async () => {
    await expect(numbers(2).map((x) => Promise.resolve(x)).toArray()).rejects.toThrow('returned a Promise but is not declared async');
  });

  it('releases in-flight results when the consumer stops early', async () => {
    const n = await leaked(async () => {
      const ds = numbers(20).map(async (x) => {
        await sleep(1);
        return tensor([x]);
      }, { parallelism: 5 });
      for await (const t of ds) {
        t.dispose();
        break;
      }
    });
    expect(n).toBe(0);
  });

  it('checks its options', () => {
    expect(() => numbers(1).map((x) => x, { parallelism: 0 })).toThrow('map: parallelism must be an integer >= 1, got the number 0');
  });
});

describe('filter', () => {
  it('keeps what the predicate accepts (booleans or scalar tensors) and releases the rest', async () => {
    expect(await numbers(10).filter((x) => x % 3 === 0).toArray()).toEqual([0, 3, 6, 9]);
    expect(await numbers(6).filter(async (x) => x > 3).toArray()).toEqual([4, 5]);
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 6; i++) yield scalar(i);
      }).filter((t) => t.greater(2)); // a bool scalar tensor, made inside tidy
      const kept = await ds.toArray();
      expect(kept.map((t) => t.dataSync()[0])).toEqual([3, 4, 5]);
      dispose(kept);
    });
    expect(n).toBe(0);
    expect(numbers(10).filter(() => true).size).toBe('unknown');
  });

  it('says what a predicate returned that is not a boolean', async () => {
    await expect(numbers(3).filter((() => 'yes') as unknown as () => boolean).toArray()).rejects.toThrow('filter: the predicate must return a boolean (or a scalar boolean tensor), got the string "yes" for element 0');
  });
});

describe('take, skip, repeat', () => {
  it('count elements and propagate the cardinality', async () => {
    expect(await numbers(10).take(3).toArray()).toEqual([0, 1, 2]);
    expect(await numbers(10).skip(7).toArray()).toEqual([7, 8, 9]);
    expect(await numbers(3).repeat(2).toArray()).toEqual([0, 1, 2, 0, 1, 2]);
    expect(await numbers(3).repeat().take(7).toArray()).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect(await numbers(3).take(0).toArray()).toEqual([]);
    expect([numbers(10).take(3).size, numbers(2).take(3).size, numbers(10).skip(12).size]).toEqual([3, 2, 0]);
    expect([numbers(3).repeat().size, numbers(3).repeat(4).size, numbers(0).repeat().size, numbers(3).repeat().take(5).size]).toEqual(['infinite', 12, 0, 5]);
    const unknown = fromGenerator(function* () {
      yield 1;
    });
    expect([unknown.take(2).size, unknown.skip(1).size, unknown.repeat().size]).toEqual(['unknown', 'unknown', 'infinite']);
  });

  it('repeat() of an empty dataset ends instead of spinning', async () => {
    const empty = fromGenerator(function* (): Generator<number> {});
    expect(empty.repeat().size).toBe('infinite'); // as tf.data: unknown.repeat() is infinite
    const out: number[] = [];
    for await (const e of empty.repeat()) out.push(e);
    expect(out).toEqual([]);
  });

  it('take closes the source: a generator\'s finally runs at once', async () => {
    let closed = false;
    const ds = fromGenerator(function* () {
      try {
        for (let i = 0; ; i++) yield i;
      } finally {
        closed = true;
      }
    });
    expect(await ds.take(3).toArray()).toEqual([0, 1, 2]);
    expect(closed).toBe(true);
  });

  it('skip releases what it skips', async () => {
    const n = await leaked(async () => {
      const out = await fromGenerator(function* () {
        for (let i = 0; i < 5; i++) yield tensor([i]);
      }).skip(3).toArray();
      expect(out.map((t) => t.dataSync()[0])).toEqual([3, 4]);
      dispose(out);
    });
    expect(n).toBe(0);
  });

  it('reject bad counts', () => {
    expect(() => numbers(3).take(-1)).toThrow('take: count must be an integer >= 0, got the number -1');
    expect(() => numbers(3).skip(0.5)).toThrow('skip: count must be an integer >= 0');
    expect(() => numbers(3).repeat(-2)).toThrow('repeat: count must be an integer >= 0 (or Infinity)');
  });
});

describe('concatenate and zip', () => {
  it('concatenate reads one dataset after the other', async () => {
    const ds = numbers(2).concatenate(fromIterable(['a', 'b']));
    expect(await ds.toArray()).toEqual([0, 1, 'a', 'b']);
    expect(ds.size).toBe(4);
    expect(numbers(2).concatenate(numbers(1).repeat()).size).toBe('infinite');
  });

  it('zip packs tuples and dicts and stops at the shortest', async () => {
    expect(await zip([numbers(3), fromIterable(['a', 'b', 'c', 'd'])]).toArray()).toEqual([[0, 'a'], [1, 'b'], [2, 'c']]);
    expect(await zip({ x: numbers(2), y: numbers(5).map((v) => v * 10) }).toArray()).toEqual([{ x: 0, y: 0 }, { x: 1, y: 10 }]);
    expect(await numbers(2).zip(numbers(2)).toArray()).toEqual([[0, 0], [1, 1]]);
    expect(zip([numbers(3), numbers(5)]).size).toBe(3);
    expect(zip([numbers(3), numbers(1).repeat()]).size).toBe(3);
    expect(() => zip([numbers(1), 5 as unknown as Dataset<number>])).toThrow('zip: item 1 is the number 5; expected a Dataset');
  });

  it('zip releases the other sources\' elements of the last, incomplete step', async () => {
    const n = await leaked(async () => {
      const t = (k: number) =>
        fromGenerator(function* () {
          for (let i = 0; i < k; i++) yield tensor([i]);
        });
      const out = await zip([t(3), t(2)]).toArray();
      expect(out.length).toBe(2);
      dispose(out.flat());
    });
    expect(n).toBe(0);
  });
});

describe('window', () => {
  // tf.data's documentation examples (Dataset.window)
  it('matches tf.data: range(7).window(3, 2, 1, True) → [0,1,2] [2,3,4] [4,5,6]', async () => {
    expect(await numbers(7).window(3, { shift: 2, dropRemainder: true }).toArray()).toEqual([[0, 1, 2], [2, 3, 4], [4, 5, 6]]);
    expect(numbers(7).window(3, { shift: 2, dropRemainder: true }).size).toBe(3);
  });

  it('matches tf.data: range(7).window(3, 1, 2, True) → [0,2,4] [1,3,5] [2,4,6]', async () => {
    const ds = numbers(7).window(3, { shift: 1, stride: 2, dropRemainder: true });
    expect(await ds.toArray()).toEqual([[0, 2, 4], [1, 3, 5], [2, 4, 6]]);
    expect(ds.size).toBe(3);
  });

  it('matches tf.data: range(7).window(3, 2) keeps the short windows → ... [4,5,6] [6]', async () => {
    const ds = numbers(7).window(3, { shift: 2 });
    expect(await ds.toArray()).toEqual([[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]);
    expect(ds.size).toBe(4);
    // default shift = size; shift larger than the window skips elements
    expect(await numbers(7).window(3).toArray()).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(await numbers(10).window(2, { shift: 4 }).toArray()).toEqual([[0, 1], [4, 5], [8, 9]]);
  });

  it('hands each window its own tensors (clones) and releases the rest', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 6; i++) yield tensor([i]);
      }).window(3, { shift: 1, dropRemainder: true });
      const stacked: number[][][] = [];
      for await (const w of ds) {
        const b = stackElements(w);
        stacked.push(b.arraySync() as number[][]);
        dispose([b, ...w]);
      }
      expect(stacked).toEqual([[[0], [1], [2]], [[1], [2], [3]], [[2], [3], [4]], [[3], [4], [5]]]);
    });
    expect(n).toBe(0);
  });
});

describe('prefetch', () => {
  it('yields the same elements, reading ahead while the consumer waits', async () => {
    let produced = 0;
    const ds = fromGenerator(async function* () {
      for (let i = 0; i < 10; i++) {
        produced++;
        yield i;
      }
    }).prefetch(3);
    const seen: number[] = [];
    for await (const e of ds) {
      seen.push(e);
      if (e === 0) {
        await sleep(20);
        expect(produced).toBeGreaterThanOrEqual(4); // the consumed one plus 3 read ahead
      }
    }
    expect(seen).toEqual(range(10));
  });

  it('releases what it read ahead when the consumer stops, and passes errors on in order', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 10; i++) yield tensor([i]);
      }).prefetch(4);
      for await (const t of ds) {
        await sleep(5);
        t.dispose();
        break;
      }
    });
    expect(n).toBe(0);
    const failing = fromGenerator(async function* () {
      yield 1;
      yield 2;
      throw new Error('source broke');
    }).prefetch(5);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const e of failing) got.push(e);
      })(),
    ).rejects.toThrow('source broke');
    expect(got).toEqual([1, 2]);
  });
});

describe('errors mid-pipeline', () => {
  it('release every stage\'s buffers', async () => {
    const n = await leaked(async () => {
      const ds = fromGenerator(function* () {
        for (let i = 0; i < 100; i++) {
          if (i === 57) throw new Error('disk on fire');
          yield { x: tensor([i, i]), y: i };
        }
      })
        .shuffle(20, { seed: 1 })
        .map(({ x, y }) => ({ x: x.mul(2), y }))
        .batch(8)
        .prefetch(2);
      const seen: Tensor[] = [];
      await expect(
        (async () => {
          for await (const b of ds) seen.push(b.x, b.y);
        })(),
      ).rejects.toThrow('disk on fire');
      dispose(seen);
    });
    expect(n).toBe(0);
  });
});

describe('values', () => {
  it('a pipeline of tensors gives the values a plain loop gives', async () => {
    const ds = fromGenerator(function* () {
      for (let i = 0; i < 5; i++) yield { x: tensor([i, 2 * i]), y: i };
    }).map(({ x, y }) => ({ x: x.square(), y: y + 1 }));
    const b = (await ds.batch(5).toArray())[0];
    expect(values(b.x)).toEqual(range(5).map((i) => [i * i, 4 * i * i]));
    expect(values(b.y)).toEqual([1, 2, 3, 4, 5]);
    dispose([b.x, b.y]);
  });
});
