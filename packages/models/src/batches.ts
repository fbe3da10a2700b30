// Where the batches of fit, evaluate and predict come from: rows of arrays in memory (gathered by
// index, shuffled per epoch), or the elements of a dataset — a `Dataset` of @neurona/data or any
// iterable or async iterable of batches, as Keras 3's data adapters take them.
import { isTensor, shuffledIndices, tensor1d } from '@neurona/tensor';
import type { SeedGenerator, Tensor } from '@neurona/tensor';
import type { BatchIndices, DataArrays } from './step';

/**
 * A dataset as fit/evaluate/predict take it: a `Dataset` of @neurona/data, or any async iterable
 * of batches (an async generator). At run time a sync iterable that is not an array (a generator
 * object) is read too.
 */
export type BatchStream = AsyncIterable<unknown>;

/** True for a dataset or an (async) iterable of batches, and not for array data. */
export function isBatchStream(x: unknown): x is BatchStream {
  if (x === null || typeof x !== 'object' || Array.isArray(x) || ArrayBuffer.isView(x) || isTensor(x)) return false;
  return typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** The number of batches a stream declares (`Dataset.size`): a count, or null when unknown or infinite. */
export function streamSteps(x: BatchStream): number | null {
  const size = (x as { size?: unknown }).size;
  return typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : null;
}

/** True when a stream declares itself infinite (`dataset.repeat()`). */
export function streamInfinite(x: BatchStream): boolean {
  return (x as { size?: unknown }).size === 'infinite';
}

/** One batch: the arrays to run, the rows to take (null: all of them), and what to release after. */
export interface Batch {
  data: DataArrays;
  indices: BatchIndices;
  size: number;
  release(): void;
}

/** The batches of one pass (an epoch, an evaluation). */
export interface BatchSource {
  /** Batches per pass when known (null: a stream of unknown length, known after the first pass). */
  steps: number | null;
  /** Samples per pass when known. */
  samples: number | null;
  /** The next batch of the current pass, or null at its end. */
  next(): Promise<Batch | null>;
  /** Start a new pass (a new shuffle; a stream is read again unless it is continued). */
  reset(): void;
  /** Release what the source holds. */
  dispose(): void;
}

/** Per-sample weights given for each output (one tensor shared by all, or one per output). */
export type SampleWeights = (Tensor | null)[] | null;

/**
 * Batches of rows of in-memory arrays, `batchSize` at a time, in a new random order each pass drawn
 * from `shuffle` (the model's own stream; null: in order). The indices only are shuffled: rows are
 * gathered per batch, nothing is copied whole.
 */
export function arraySource(data: DataArrays, rows: [number, number], batchSize: number, shuffle: SeedGenerator | null): BatchSource {
  const [start, end] = rows;
  const n = end - start;
  const steps = Math.ceil(n / batchSize);
  // fixed batches (no shuffling) get their index tensors once (uploading them each epoch would cost a tensor per step)
  const fixed: (Tensor | null)[] | null = shuffle !== null && steps > 1 ? null : fixedBatches(start, end, batchSize, data.n);
  let order: Int32Array | null = null;
  let b = 0;
  return {
    steps,
    samples: n,
    reset() {
      b = 0;
      order = fixed || shuffle === null ? null : offset(shuffledIndices(n, shuffle.next()), start);
    },
    next() {
      if (b >= steps) return Promise.resolve(null);
      const s = b * batchSize;
      const e = Math.min(n, s + batchSize);
      const indices = fixed ? fixed[b] : (order as Int32Array).subarray(s, e);
      b++;
      return Promise.resolve({ data, indices, size: e - s, release: () => undefined });
    },
    dispose() {
      for (const t of fixed ?? []) t?.dispose();
    },
  };
}

function offset(idx: Int32Array, by: number): Int32Array {
  if (by !== 0) for (let i = 0; i < idx.length; i++) idx[i] += by;
  return idx;
}

// the row indices of each fixed batch's index tensor, for a plan that takes them as numbers (the
// WebGPU plan writes them to its index buffer instead of copying the tensor on the device)
const fixedRows = new WeakMap<Tensor, Int32Array>();

/** The row indices of an unshuffled batch's index tensor (made by `arraySource`), if it is one. */
export function fixedRowsOf(t: Tensor): Int32Array | undefined {
  return fixedRows.get(t);
}

function fixedBatches(start: number, end: number, batchSize: number, n: number): (Tensor | null)[] {
  if (start === 0 && end === n && batchSize >= n) return [null];
  const out: Tensor[] = [];
  for (let s = start; s < end; s += batchSize) {
    const e = Math.min(end, s + batchSize);
    const a = new Int32Array(e - s);
    for (let i = 0; i < a.length; i++) a[i] = s + i;
    const t = tensor1d(a, 'int32');
    fixedRows.set(t, a);
    out.push(t);
  }
  return out;
}
