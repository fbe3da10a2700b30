// The order in which an in-memory source's rows are read, as a synchronous stream of row
// indices. shuffle, take, skip, repeat, cache and splits of such a source act on these plain
// numbers (cheap, no tensors); batch then copies the rows of each group of indices at once.
import { ShuffleBuffer } from '../ops/shuffle-buffer';
import type { SelectorFactory } from '../ops/split';
import type { Cardinality } from '../types';

/** A re-startable sequence of row indices. */
export interface IndexStream {
  open(): Iterator<number>;
  size: Cardinality;
  /** Set when the stream is 0, 1, ..., n - 1 (n itself), so batches can be cut without a step per index. */
  range?: number;
}

const iterable = (s: IndexStream): Iterable<number> => ({ [Symbol.iterator]: () => s.open() });

/** 0, 1, ..., n - 1. */
export function rangeIndices(n: number): IndexStream {
  return {
    size: n,
    range: n,
    *open() {
      for (let i = 0; i < n; i++) yield i;
    },
  };
}

/** The same buffered shuffle as `shuffle` on a dataset (same seed, same order). */
export function shuffleIndices(s: IndexStream, bufferSize: number, nextPassSeed: () => number): IndexStream {
  return {
    size: s.size,
    *open() {
      const buffer = new ShuffleBuffer<number>(bufferSize, nextPassSeed());
      for (const i of iterable(s)) {
        buffer.add(i);
        if (buffer.full) yield buffer.take();
      }
      while (buffer.size > 0) yield buffer.take();
    },
  };
}

/** The first `count` indices. */
export function takeIndices(s: IndexStream, count: number, size: Cardinality): IndexStream {
  return {
    size,
    *open() {
      if (count <= 0) return;
      let n = 0;
      for (const i of iterable(s)) {
        yield i;
        if (++n >= count) return;
      }
    },
  };
}

/** All but the first `count` indices. */
export function skipIndices(s: IndexStream, count: number, size: Cardinality): IndexStream {
  return {
    size,
    *open() {
      let n = 0;
      for (const i of iterable(s)) if (n++ >= count) yield i;
    },
  };
}

/** `count` passes (Infinity: forever); stops after an empty pass. */
export function repeatIndices(s: IndexStream, count: number, size: Cardinality): IndexStream {
  return {
    size,
    *open() {
      for (let pass = 0; pass < count; pass++) {
        let any = false;
        for (const i of iterable(s)) {
          any = true;
          yield i;
        }
        if (!any) return;
      }
    },
  };
}

/** The order of the first complete pass, replayed on later passes. */
export function cacheIndices(s: IndexStream): IndexStream {
  let store: Int32Array | null = null;
  return {
    size: s.size,
    *open() {
      if (store) {
        yield* store;
        return;
      }
      const pending: number[] = [];
      for (const i of iterable(s)) {
        pending.push(i);
        yield i;
      }
      store ??= Int32Array.from(pending);
    },
  };
}

/** The indices at positions the selector accepts (`wanted`) or rejects. */
export function selectIndices(s: IndexStream, makeSelector: SelectorFactory, wanted: boolean, size: Cardinality): IndexStream {
  return {
    size,
    *open() {
      const isValidation = makeSelector();
      let pos = 0;
      for (const i of iterable(s)) if (isValidation(pos++) === wanted) yield i;
    },
  };
}

/** Groups of `size` consecutive indices of one pass; the last one smaller unless `dropRemainder`. */
export function chunkIndices(s: IndexStream, size: number, dropRemainder: boolean): IterableIterator<Int32Array> {
  return s.range !== undefined ? rangeChunks(s.range, size, dropRemainder) : groupChunks(s, size, dropRemainder);
}

function* groupChunks(s: IndexStream, size: number, dropRemainder: boolean): Generator<Int32Array> {
  let group = new Int32Array(size);
  let n = 0;
  for (const i of iterable(s)) {
    group[n++] = i;
    if (n === size) {
      yield group;
      group = new Int32Array(size);
      n = 0;
    }
  }
  if (n > 0 && !dropRemainder) yield group.subarray(0, n);
}

/**
 * Groups of `size` of 0, 1, ..., n - 1 (what `chunkIndices` cuts from `rangeIndices(n)`), as a
 * plain iterator: no generator step per batch, let alone per index.
 */
function rangeChunks(n: number, size: number, dropRemainder: boolean): IterableIterator<Int32Array> {
  let start = 0;
  const done = (): IteratorResult<Int32Array> => {
    start = n;
    return { done: true, value: undefined };
  };
  const it: IterableIterator<Int32Array> = {
    next() {
      const m = Math.min(size, n - start);
      if (m <= 0 || (m < size && dropRemainder)) return done();
      const group = new Int32Array(m);
      for (let j = 0; j < m; j++) group[j] = start + j;
      start += m;
      return { done: false, value: group };
    },
    return: done,
    [Symbol.iterator]: () => it,
  };
  return it;
}
