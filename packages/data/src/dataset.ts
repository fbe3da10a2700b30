import { describeData, checkOptions, checkOptionTypes } from '@neurona/common';
// The Dataset: a lazy, re-iterable, chainable sequence of elements. Each `for await` is a new
// pass that opens the chain of transformations again from the source.
import { disposeAll } from './element';
import { batchCount, batchElements } from './ops/batch';
import { fileCachePass } from './ops/cache-file';
import { memoryCache } from './ops/cache-memory';
import { filterElements } from './ops/filter';
import { checkParallelism, mapElements } from './ops/map';
import { prefetchElements } from './ops/prefetch';
import { shuffleElements, shufflePlan, type ShuffleOptions } from './ops/shuffle';
import { selectElements, type SelectorFactory } from './ops/split';
import { repeatElements, repeatSize, skipElements, skipSize, takeElements, takeSize } from './ops/take-skip';
import { unbatchElements } from './ops/unbatch';
import { windowCount, windowElements, windowPlan, type WindowOptions } from './ops/window';
import { concatenateElements, concatenateSize, zipElements, zipSize } from './ops/zip';
import { ROW_BATCHES, repeatRowBatches, skipRowBatches, takeRowBatches, type RowBatches } from './row-batches';
import type { Batched, Cardinality, Unbatched } from './types';
import type { Tensor } from '@neurona/tensor';

/** Options of `map`. */
export interface MapOptions {
  /**
   * How many calls of an async function may run at once (default 1); results keep the input
   * order. Plain functions run one at a time whatever this says (JavaScript runs them in turn).
   */
  parallelism?: number;
}

/** Options of `batch`. */
export interface BatchOptions {
  /** Drop the last batch when it has fewer than `size` elements (default false), as tf.data. */
  dropRemainder?: boolean;
}

/** Options of `cache`. */
export interface CacheOptions {
  /**
   * Keep the elements in this file instead of memory (Node). The first complete pass writes it;
   * later passes, and later runs, read it. Delete the file when the source changes.
   */
  file?: string;
}

/** Internal hook: keep the elements whose position a selector accepts (`splitDataset`). */
export const SELECT = Symbol('neurona.data.select');

/** How a dataset is made: see the `Dataset` constructor. */
export interface DatasetInit {
  /** The number of elements, if known; default `'unknown'`. */
  size?: Cardinality;
  /** The datasets it reads, so `dispose()` reaches their caches. */
  parents?: readonly Dataset<unknown>[];
  /** Called by `dispose()`: release what this dataset keeps (a cache). */
  release?: () => void;
  /** Its batches as row views of in-memory columns (see `rowBatchesOf`), when it has them. */
  rowBatches?: RowBatches;
}

/** Checked non-negative integer count (`take`, `skip`, `repeat`, ...). */
/** Check `batch(size, options)`'s arguments; returns `dropRemainder`. */
export function batchArgs(size: unknown, options: BatchOptions): boolean {
  checkCount('batch', 'size', size, 1);
  checkOptionTypes('batch', options, { dropRemainder: 'boolean' });
  return options.dropRemainder ?? false;
}

/** Check `cache(options)`'s options. */
export function cacheArgs(options: CacheOptions): void {
  checkOptions('cache', options, ['file']);
  if (options.file !== undefined && (typeof options.file !== 'string' || options.file === '')) {
    throw new Error(`cache: file must be a non-empty path, got ${describeData(options.file)}`);
  }
}

/** Check that `v` (argument `name` of `who`) is an integer ≥ `min` (or Infinity where allowed), and return it. */
export function checkCount(who: string, name: string, v: unknown, min: number, allowInfinity = false): number {
  if (allowInfinity && v === Infinity) return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new Error(`${who}: ${name} must be an integer >= ${min}${allowInfinity ? ' (or Infinity)' : ''}, got ${describeData(v)}`);
  }
  return v;
}

/**
 * A lazy sequence of elements, read with `for await (const e of ds)`. Every `for await` is a new
 * pass from the source (sources that can only be read once say so when read twice). Every
 * transformation returns a new dataset and reads nothing until iterated.
 *
 * Ownership: every element a dataset yields belongs to the consumer, which disposes its tensors
 * (`dispose(e)` of `@neurona/tensor`). Each transformation disposes the elements it consumes and
 * does not pass on, and a pass stopped early (`break`, an error, `take`) releases everything its
 * stages hold (shuffle buffers, prefetched and in-flight elements).
 *
 * ```ts
 * const ds = fromArrays(x, y).shuffle(1000, { seed: 1 }).batch(32).prefetch(2);
 * for await (const { x, y } of ds) { ...; dispose([x, y]); }
 * ```
 */
export class Dataset<T> implements AsyncIterable<T> {
  /** The number of elements: a count, `'unknown'` or `'infinite'` (tf.data's cardinality). */
  readonly size: Cardinality;
  private readonly openPass: () => AsyncIterator<T>;
  private readonly parents: readonly Dataset<unknown>[];
  private readonly release?: () => void;
  /** @internal Its batches as row views (`rowBatchesOf`), when it has them. */
  readonly [ROW_BATCHES]?: RowBatches;

  /**
   * A dataset whose passes `open` makes: each call returns a new iterator over all elements, and
   * the iterator's `return()` releases what it holds. Most code uses the sources (`fromArrays`,
   * `fromGenerator`, `csv`, ...) instead.
   */
  constructor(open: () => AsyncIterator<T>, init: DatasetInit = {}) {
    this.openPass = open;
    this.size = init.size ?? 'unknown';
    this.parents = init.parents ?? [];
    this.release = init.release;
    if (init.rowBatches) this[ROW_BATCHES] = init.rowBatches;
  }

  /** A new pass over the elements. */
  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.openPass();
  }

  /** A dataset built on this one (its parent for `dispose`). */
  protected derive<U>(open: () => AsyncIterator<U>, size: Cardinality, release?: () => void): Dataset<U> {
    return new Dataset<U>(open, { size, parents: [this as Dataset<unknown>], release });
  }

  /** A dataset built on this one that only counts elements (take, skip, repeat): it keeps a row view, counted alike. */
  private counted(open: () => AsyncIterator<T>, size: Cardinality, rows: (view: RowBatches) => RowBatches): Dataset<T> {
    const view = this[ROW_BATCHES];
    return new Dataset<T>(open, { size, parents: [this as Dataset<unknown>], rowBatches: view && rows(view) });
  }

  /**
   * `fn` applied to every element. A plain function runs inside `tidy()` (the tensors it makes and
   * does not return are released); an `async` function may run `parallelism` at a time and must
   * release its own intermediate tensors. Tensors of the input element that the result does not
   * hold are released.
   */
  map<U>(fn: (element: T) => U | Promise<U>, options: MapOptions = {}): Dataset<U> {
    checkOptions('map', options, ['parallelism']);
    const parallelism = checkParallelism(options.parallelism);
    if (typeof fn !== 'function') throw new Error(`map: expected a function, got ${describeData(fn)}`);
    return this.derive(() => mapElements(this, fn, parallelism), this.size);
  }

  /**
   * The elements for which `predicate` returns true (or a scalar tensor that is nonzero); the
   * others are released. Plain predicates run inside `tidy()`.
   */
  filter(predicate: (element: T) => boolean | Tensor | Promise<boolean | Tensor>): Dataset<T> {
    if (typeof predicate !== 'function') throw new Error(`filter: expected a function, got ${describeData(predicate)}`);
    const size: Cardinality = this.size === 'infinite' ? 'infinite' : 'unknown';
    return this.derive(() => filterElements(this, predicate), size);
  }

  /**
   * Consecutive elements stacked into batches of `size`: every leaf (tensor, TensorBuffer, typed
   * array, number, boolean, string, array of numbers) becomes one tensor with a leading batch
   * dimension; tuples and dicts keep their structure. Every element must have the first one's
   * structure and shapes (an error names the element that does not). The last batch is smaller
   * unless `dropRemainder`.
   */
  batch(size: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    const drop = batchArgs(size, options);
    return this.derive(() => batchElements(this, size, drop) as AsyncIterator<Batched<T>>, batchCount(this.size, size, drop));
  }

  /** Every row of every batch as its own element (the inverse of `batch`). */
  unbatch(): Dataset<Unbatched<T>> {
    const size: Cardinality = this.size === 'infinite' ? 'infinite' : this.size === 0 ? 0 : 'unknown';
    return this.derive(() => unbatchElements(this) as AsyncIterator<Unbatched<T>>, size);
  }

  /**
   * Elements in random order from a buffer of `bufferSize` (tf.data's shuffle: a buffer as large
   * as the dataset gives a uniform shuffle). Same seed, same order; a new order each pass unless
   * `reshuffleEachIteration: false`.
   */
  shuffle(bufferSize: number, options: ShuffleOptions = {}): Dataset<T> {
    const plan = shufflePlan(bufferSize, options);
    return this.derive(() => shuffleElements(this, plan.bufferSize, plan.nextPassSeed()), this.size);
  }

  /**
   * Read up to `n` elements ahead (default 2) while the consumer works, so the source's file
   * reads, decompression and async calls overlap with it.
   */
  prefetch(n = 2): Dataset<T> {
    checkCount('prefetch', 'n', n, 1);
    // a row view is in memory already: its consumer reads it directly, with nothing to read ahead
    return new Dataset<T>(() => prefetchElements(this, n), { size: this.size, parents: [this as Dataset<unknown>], rowBatches: this[ROW_BATCHES] });
  }

  /** `count` passes over the dataset in one (forever when omitted). */
  repeat(count: number = Infinity): Dataset<T> {
    checkCount('repeat', 'count', count, 0, true);
    return this.counted(() => repeatElements(this, count), repeatSize(this.size, count), (v) => repeatRowBatches(v, count));
  }

  /** The first `count` elements. */
  take(count: number): Dataset<T> {
    checkCount('take', 'count', count, 0);
    return this.counted(() => takeElements(this, count), takeSize(this.size, count), (v) => takeRowBatches(v, count));
  }

  /** All but the first `count` elements. */
  skip(count: number): Dataset<T> {
    checkCount('skip', 'count', count, 0);
    return this.counted(() => skipElements(this, count), skipSize(this.size, count), (v) => skipRowBatches(v, count));
  }

  /**
   * Keep the elements of the first complete pass (in memory, or in `options.file` under Node) and
   * replay them on later passes. A memory cache holds tensors until `dispose()`.
   */
  cache(options: CacheOptions = {}): Dataset<T> {
    cacheArgs(options);
    if (options.file !== undefined) {
      const file = options.file;
      return this.derive(() => fileCachePass(this, file), this.size);
    }
    const cache = memoryCache(this);
    return this.derive(() => cache.open(), this.size, cache.release);
  }

  /** This dataset's elements, then `other`'s. */
  concatenate<U>(other: Dataset<U>): Dataset<T | U> {
    if (!(other instanceof Dataset)) throw new Error(`concatenate: expected a Dataset, got ${describeData(other)}`);
    return new Dataset<T | U>(() => concatenateElements<T | U>([this, other]), {
      size: concatenateSize([this.size, other.size]),
      parents: [this as Dataset<unknown>, other as Dataset<unknown>],
    });
  }

  /** Pairs of this dataset's and `other`'s elements, up to the shorter one. */
  zip<U>(other: Dataset<U>): Dataset<[T, U]> {
    if (!(other instanceof Dataset)) throw new Error(`zip: expected a Dataset, got ${describeData(other)}`);
    return new Dataset<[T, U]>(() => zipElements([this, other], (v) => v) as AsyncIterator<[T, U]>, {
      size: zipSize([this.size, other.size]),
      parents: [this as Dataset<unknown>, other as Dataset<unknown>],
    });
  }

  /**
   * Windows of `size` elements, one starting every `shift` elements, members `stride` apart, each
   * an array (tf.data's window with arrays instead of nested datasets). An element in several
   * windows is cloned into each. `stackElements(w)` turns a window into one batch.
   */
  window(size: number, options: WindowOptions = {}): Dataset<T[]> {
    const p = windowPlan(size, options);
    return this.derive(() => windowElements(this, p.size, p.shift, p.stride, p.dropRemainder), windowCount(this.size, p.size, p.shift, p.stride, p.dropRemainder));
  }

  /** Every element of one pass in an array (they are yours to dispose; on an error none is kept). Refuses infinite datasets. */
  async toArray(): Promise<T[]> {
    if (this.size === 'infinite') throw new Error('toArray: the dataset is infinite; take() a finite part first');
    const out: T[] = [];
    try {
      for await (const e of this) out.push(e);
    } catch (err) {
      disposeAll(out);
      throw err;
    }
    return out;
  }

  /**
   * Release what this dataset and the datasets it reads keep: the tensors of memory caches. The
   * dataset stays usable (a later pass fills the cache again).
   */
  dispose(): void {
    this.release?.();
    for (const p of this.parents) p.dispose();
  }

  /** @internal The elements at the positions the selector accepts (`wanted`) or rejects. */
  [SELECT](makeSelector: SelectorFactory, wanted: boolean, size: Cardinality): Dataset<T> {
    return this.derive(() => selectElements(this, makeSelector, wanted), size);
  }
}
