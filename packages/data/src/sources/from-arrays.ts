// fromArrays(): a dataset of in-memory arrays and tensors, zipped (features, labels, sample
// weights). Its transformations that only reorder or count (shuffle, take, skip, repeat, cache,
// splits) act on row indices; batch then copies each batch's rows at once, with no tensor per
// sample, and also describes its batches as row views (row-batches.ts) for consumers that copy
// rows themselves.
import { tensor1d, tidy, type Tensor, type TensorContainer } from '@neurona/tensor';
import { Dataset, SELECT, batchArgs, cacheArgs, checkCount, type BatchOptions, type CacheOptions } from '../dataset';
import { batchCount } from '../ops/batch';
import { shufflePlan, type ShuffleOptions } from '../ops/shuffle';
import type { SelectorFactory } from '../ops/split';
import { repeatSize, skipSize, takeSize } from '../ops/take-skip';
import type { Batched, Cardinality } from '../types';
import type { RowBatches } from '../row-batches';
import { columnTree, columnsOf, leavesOf, rowsOf, sampleOf, type ArraySample, type ColumnTree, type Columns } from './columns';
import {
  cacheIndices,
  chunkIndices,
  rangeIndices,
  repeatIndices,
  selectIndices,
  shuffleIndices,
  skipIndices,
  takeIndices,
  type IndexStream,
} from './index-stream';

async function* samples<T>(tree: ColumnTree, indices: IndexStream): AsyncGenerator<T> {
  const it = { [Symbol.iterator]: () => indices.open() };
  for (const i of it) yield sampleOf(tree, i) as T;
}

/** The batch of rows `group` (new tensors). */
function batchOf(tree: ColumnTree, group: Int32Array): unknown {
  // one index tensor per batch, shared by the tensor columns; tidy releases it (and the rows
  // already copied, if a column fails)
  return tidy(() => {
    let shared: Tensor | null = null;
    return rowsOf(tree, group, () => (shared ??= tensor1d(group, 'int32'))) as TensorContainer;
  });
}

async function* batches<T>(tree: ColumnTree, indices: IndexStream, size: number, dropRemainder: boolean): AsyncGenerator<T> {
  for (const group of chunkIndices(indices, size, dropRemainder)) yield batchOf(tree, group) as T;
}

/** The batches of `tree` as row views (see `rowBatchesOf`). */
function rowBatches(tree: ColumnTree, indices: IndexStream, size: number, dropRemainder: boolean): RowBatches {
  return {
    // read when asked: a column disposed since is reported then, as iterating would
    get columns() {
      return columnsOf(tree);
    },
    open: () => chunkIndices(indices, size, dropRemainder),
    rows: (group) => batchOf(tree, group),
  };
}

/**
 * A dataset of the rows of in-memory columns (see `fromArrays`). Shuffling, taking, skipping,
 * repeating, caching and splitting it reorder row indices only; `batch` copies each batch's rows
 * in one go (`gatherRows` on tensors, a memcpy on typed arrays).
 */
export class ArrayDataset<T> extends Dataset<T> {
  private readonly tree: ColumnTree;
  private readonly indices: IndexStream;

  /** Rows of `tree` in the order of `indices` (use `fromArrays`). */
  constructor(tree: ColumnTree, indices: IndexStream) {
    super(() => samples<T>(tree, indices), { size: indices.size });
    this.tree = tree;
    this.indices = indices;
  }

  private with(indices: IndexStream): ArrayDataset<T> {
    return new ArrayDataset<T>(this.tree, indices);
  }

  override shuffle(bufferSize: number, options: ShuffleOptions = {}): ArrayDataset<T> {
    const plan = shufflePlan(bufferSize, options);
    return this.with(shuffleIndices(this.indices, plan.bufferSize, plan.nextPassSeed));
  }

  override take(count: number): ArrayDataset<T> {
    checkCount('take', 'count', count, 0);
    return this.with(takeIndices(this.indices, count, takeSize(this.size, count)));
  }

  override skip(count: number): ArrayDataset<T> {
    checkCount('skip', 'count', count, 0);
    return this.with(skipIndices(this.indices, count, skipSize(this.size, count)));
  }

  override repeat(count: number = Infinity): ArrayDataset<T> {
    checkCount('repeat', 'count', count, 0, true);
    return this.with(repeatIndices(this.indices, count, repeatSize(this.size, count)));
  }

  /** In memory: the order of the first pass is kept (the rows are in memory already); with a file, as `Dataset.cache`. */
  override cache(options: CacheOptions = {}): Dataset<T> {
    cacheArgs(options);
    if (options.file !== undefined) return super.cache(options);
    return this.with(cacheIndices(this.indices));
  }

  override batch(size: number, options: BatchOptions = {}): Dataset<Batched<T>> {
    const drop = batchArgs(size, options);
    return new Dataset<Batched<T>>(() => batches<Batched<T>>(this.tree, this.indices, size, drop), {
      size: batchCount(this.size, size, drop),
      rowBatches: rowBatches(this.tree, this.indices, size, drop),
    });
  }

  override [SELECT](makeSelector: SelectorFactory, wanted: boolean, size: Cardinality): ArrayDataset<T> {
    return this.with(selectIndices(this.indices, makeSelector, wanted, size));
  }
}

/** The element of `fromArrays(x)`, `fromArrays(x, y)` or `fromArrays(x, y, sampleWeight)`. */
export type ArrayElement<X, Y, W> = [Y] extends [undefined]
  ? ArraySample<X>
  : [W] extends [undefined]
    ? { x: ArraySample<X>; y: ArraySample<Y> }
    : { x: ArraySample<X>; y: ArraySample<Y>; sampleWeight: ArraySample<W> };

/**
 * A dataset of the samples of in-memory data: `fromArrays(x)` yields x's rows, `fromArrays(x, y)`
 * yields `{ x, y }`, `fromArrays(x, y, sampleWeight)` yields `{ x, y, sampleWeight }` (the
 * element forms models read). Each of x, y, sampleWeight is a tensor (first axis = samples), a
 * typed array (one value per sample), arrays of numbers, an array of typed arrays (one row per
 * sample), or an object / tuple of tensors of those for several inputs. All must have the same
 * number of samples. The data stays yours (do not dispose it while the dataset is in use); every
 * element is new. `batch` copies each batch's rows at once:
 *
 * ```ts
 * for await (const { x, y } of fromArrays(xTrain, yTrain).shuffle(60000, { seed: 1 }).batch(128)) { ... }
 * ```
 */
export function fromArrays<X extends Columns, Y extends Columns | undefined = undefined, W extends Columns | undefined = undefined>(
  x: X,
  y?: Y,
  sampleWeight?: W,
): ArrayDataset<ArrayElement<X, Y, W>> {
  const who = 'fromArrays';
  const parts: Record<string, unknown> = { x };
  if (y !== undefined) parts.y = y;
  if (sampleWeight !== undefined) {
    if (y === undefined) throw new Error(`${who}: sampleWeight needs y; got sampleWeight without labels`);
    parts.sampleWeight = sampleWeight;
  }
  const trees = Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, columnTree(v, who, k)]));
  const tree: ColumnTree = y === undefined ? trees.x : { kind: 'dict', keys: Object.keys(trees), items: trees };
  const leaves = leavesOf(tree, y === undefined ? 'x' : '');
  const n = leaves[0].source.n;
  const other = leaves.find((l) => l.source.n !== n);
  if (other) throw new Error(`${who}: ${leaves[0].path} has ${n} samples but ${other.path} has ${other.source.n}; expected the same number of samples in every array`);
  return new ArrayDataset<ArrayElement<X, Y, W>>(tree, rangeIndices(n));
}
