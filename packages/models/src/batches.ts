// Where the batches of fit, evaluate and predict come from: rows of arrays in memory (gathered by
// index, shuffled per epoch), or the elements of a dataset — a `Dataset` of @neurona/data or any
// iterable or async iterable of batches, as Keras 3's data adapters take them.
import { dispose, isTensor, mul, shuffledIndices, tensor1d } from '@neurona/tensor';
import type { SeedGenerator, Tensor } from '@neurona/tensor';
import { rowBatchesOf, unpackXYSampleWeight, type RowBatches } from '@neurona/data';
import { describeData } from '@neurona/common';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
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

/** How a stream source reads its batches. */
export interface StreamOptions {
  /** The method, for messages (`'fit'`). */
  where: string;
  /** `'validationData '` for the validation stream: prefixes the names in messages. */
  prefix?: string;
  /** Whether the model runs its own steps (its data needs no compiled loss). */
  custom: boolean;
  /** Batches per pass; when given, one iterator runs on across passes, as Keras's `steps_per_epoch`. */
  steps?: number;
  /** Whether targets are needed (fit, evaluate) or not (predict). */
  needTargets: boolean;
  /** Turns the targets of a batch into per-sample weights (`classWeight`), multiplied into the element's own. */
  classWeights?: (ys: Tensor[]) => Tensor;
}

/**
 * The batches of a dataset or an (async) iterable, converted and checked as arrays are (the values
 * — NaN/Inf, label ranges — on the first batch of the first pass; shapes on every batch, naming the
 * batch). Every element yielded is the consumer's: it is released after its step.
 */
export function streamSource(model: LayersModel, stream: BatchStream, o: StreamOptions): BatchSource {
  const declared = streamSteps(stream);
  if (o.steps !== undefined && declared !== null && o.steps > declared) {
    throw new Error(
      `${o.where}: ${o.prefix ?? ''}stepsPerEpoch is ${o.steps} but the dataset has ${declared} batches; ` +
        `give at most ${declared}, or .repeat() the dataset`,
    );
  }
  // batches of arrays in memory (fromArrays(...).batch(b)) come as row indices: see wholeColumns
  const view = rowBatchesOf(stream);
  let whole: WholeColumns | null = null;
  const memo: PlainMemo = { signature: null };
  let iterator: AsyncIterator<unknown> | Iterator<unknown> | null = null;
  let index = 0; // batches read in this pass
  let total = 0; // batches read from the current iterator
  let checked = false;
  let known: number | null = o.steps ?? declared;
  let ended = false;
  const open = (): AsyncIterator<unknown> | Iterator<unknown> => {
    if (view) return view.open();
    const s = stream as Partial<AsyncIterable<unknown> & Iterable<unknown>>;
    const asyncOpen = s[Symbol.asyncIterator];
    if (typeof asyncOpen === 'function') return asyncOpen.call(s);
    return (s as unknown as Iterable<unknown>)[Symbol.iterator]();
  };
  const close = () => {
    const it = iterator;
    iterator = null;
    const ret = it?.return?.bind(it);
    if (ret) void Promise.resolve(ret()).catch(() => undefined);
  };
  return {
    get steps() {
      return known;
    },
    samples: null,
    reset() {
      index = 0;
      ended = false;
      // with stepsPerEpoch the iterator goes on across passes (an infinite `repeat()`ed dataset)
      if (o.steps === undefined || iterator === null) {
        close();
        iterator = open();
        total = 0;
      }
    },
    async next(): Promise<Batch | null> {
      if (ended || (o.steps !== undefined && index >= o.steps)) return null;
      const it = iterator ?? (iterator = open());
      const r = view ? (it as Iterator<unknown>).next() : await it.next();
      if (r.done) {
        ended = true;
        if (o.steps !== undefined) {
          throw new Error(
            `${o.where}: the ${o.prefix ?? ''}dataset ran out of data after ${total} batches (in a pass of stepsPerEpoch = ${o.steps}); ` +
              `give fewer steps, or .repeat() the dataset`,
          );
        }
        if (index === 0) {
          throw new Error(
            `${o.where}: the ${o.prefix ?? ''}dataset yielded no batches` +
              (total === 0 && checked ? ' on this pass (a generator object or stream can be read once: pass a Dataset, or a function that makes the generator)' : ''),
          );
        }
        if (o.steps === undefined) known = index;
        return null;
      }
      const at = `batch ${index}`;
      index++;
      total++;
      if (view && whole) {
        // the rows of the columns converted once: the step copies them from there
        const group = r.value as Int32Array;
        return { data: whole.data, indices: group, size: group.length, release: () => undefined };
      }
      const element = view ? view.rows(r.value as Int32Array) : r.value;
      try {
        const batch = await convert(model, element, at, o, !checked, memo);
        checked = true;
        // the first batch passed every check (as tensors, so its errors are what any dataset's
        // are); every later batch has the same row shapes and dtypes by construction
        if (view && !whole) whole = await wholeColumns(model, view, o);
        return batch;
      } catch (e) {
        dispose(element as never);
        throw e;
      }
    },
    dispose() {
      close();
      whole?.release();
      whole = null;
    },
  };
}

/** A row view's whole columns converted as a batch is, and what to release after the last pass. */
interface WholeColumns {
  data: DataArrays;
  release(): void;
}

/**
 * The columns of a row view (the whole arrays of `fromArrays`) converted once as a batch is (cast
 * to the model's dtypes, class weights applied), so each later batch is just its row indices, as
 * for `fit(x, y)`. Null (every batch is made as tensors, as before) when the columns are not
 * tensors, their conversion fails, or it would copy more than a quarter of them (an int32 input
 * cast to float32 whole would double the memory a batch at a time never needs).
 */
async function wholeColumns(model: LayersModel, view: RowBatches, o: StreamOptions): Promise<WholeColumns | null> {
  let columns: unknown;
  let p: { data: DataArrays; owned: Tensor[] };
  try {
    columns = view.columns;
    if (columns === null) return null;
    p = await convertParts(model, columns, 'columns', o, false);
  } catch {
    // (a column disposed since, say): the next batch, made as tensors, reports it
    return null;
  }
  const given = new Set<Tensor>();
  collectTensors(columns, given);
  if (totalSize(p.owned) * 4 > totalSize([...given])) {
    dispose(p.owned);
    return null;
  }
  return { data: p.data, release: () => dispose(p.owned) };
}

const totalSize = (ts: Tensor[]): number => ts.reduce((a, t) => a + t.size, 0);

function collectTensors(v: unknown, out: Set<Tensor>): void {
  if (isTensor(v)) out.add(v);
  else if (Array.isArray(v)) for (const item of v) collectTensors(item, out);
  else if (v !== null && typeof v === 'object') for (const item of Object.values(v)) collectTensors(item, out);
}

/**
 * `source` with `first` (a batch already read from its first pass) handed out again: the first
 * `reset` keeps the pass going, the next `next` returns `first`. Lets fit read a dataset's first
 * batch before training starts (it builds a Sequential that has no input shape yet).
 */
export function withFirst(source: BatchSource, first: Batch): BatchSource {
  let pending: Batch | null = first;
  let fresh = true;
  return {
    get steps() {
      return source.steps;
    },
    get samples() {
      return source.samples;
    },
    reset() {
      if (fresh) {
        fresh = false;
        return;
      }
      pending?.release();
      pending = null;
      source.reset();
    },
    next() {
      fresh = false;
      const b = pending;
      pending = null;
      return b ? Promise.resolve(b) : source.next();
    },
    dispose() {
      pending?.release();
      pending = null;
      source.dispose();
    },
  };
}

async function convert(model: LayersModel, element: unknown, at: string, o: StreamOptions, checkValues: boolean, memo?: PlainMemo): Promise<Batch> {
  const { data, owned } = await convertParts(model, element, at, o, checkValues, memo);
  return {
    data,
    indices: null,
    size: data.n,
    release: () => {
      dispose(owned);
      dispose(element as never);
    },
  };
}

/** A batch element as the arrays a step runs, and the tensors made on the way (the element stays the caller's). */
/**
 * The signature of the last batch that passed the checks of `prepareData` as it was (nothing cast
 * or reshaped): one x tensor, one y tensor, their dtypes and shapes. Those checks (after the first
 * batch's values) read only the model, dtypes and shapes, so a later batch with the same signature
 * passes them alike and is taken as it is; any other batch (a smaller last one, a wrong shape) is
 * checked in full.
 */
interface PlainMemo {
  signature: string | null;
}

function plainSignature(parts: { x: unknown; y?: unknown }): string | null {
  const { x, y } = parts;
  if (!isTensor(x) || !isTensor(y) || x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) return null;
  return `${x.dtype}[${x.shape.join(',')}] ${y.dtype}[${y.shape.join(',')}]`;
}

async function convertParts(
  model: LayersModel,
  element: unknown,
  at: string,
  o: StreamOptions,
  checkValues: boolean,
  memo?: PlainMemo,
): Promise<{ data: DataArrays; owned: Tensor[] }> {
  let parts: { x: unknown; y?: unknown; sampleWeight?: unknown };
  try {
    parts = unpackXYSampleWeight(element);
  } catch (e) {
    throw new Error(`${o.where}: ${o.prefix ?? ''}dataset ${at}: ${(e as Error).message}`, { cause: e });
  }
  const prefix = `${o.prefix ?? ''}dataset ${at} `;
  if (o.needTargets && parts.y === undefined && !o.custom) {
    throw new Error(
      `${o.where}: ${prefix}has no y (got ${describeData(element)}); the model's loss compares its outputs with targets: ` +
        `yield { x, y } or [x, y]`,
    );
  }
  const signature = memo && o.needTargets && !o.custom && !checkValues ? plainSignature(parts) : null;
  let p: { data: DataArrays; owned: Tensor[] };
  if (signature !== null && signature === memo?.signature) {
    model.assertUsable(o.where);
    const [x, y] = [parts.x as Tensor, parts.y as Tensor];
    p = { data: { xs: [x], ys: [y], sampleWeights: null, n: x.shape[0] }, owned: [] };
  } else {
    p = await prepareData(model, o.where, parts.x, o.needTargets ? parts.y : undefined, o.custom, prefix, checkValues);
    const plain = p.owned.length === 0 && p.data.xs.length === 1 && p.data.ys.length === 1 && p.data.xs[0] === parts.x && p.data.ys[0] === parts.y;
    if (memo) memo.signature = plain ? plainSignature(parts) : null;
  }
  const owned = p.owned;
  try {
    let sw: Tensor | null = null;
    if (parts.sampleWeight !== undefined) {
      if (!isTensor(parts.sampleWeight) || parts.sampleWeight.rank > 2 || parts.sampleWeight.shape[0] !== p.data.n) {
        throw new Error(
          `${o.where}: ${prefix}sampleWeight must be a tensor with one weight per sample ([${p.data.n}]), got ${describeData(parts.sampleWeight)}`,
        );
      }
      sw = parts.sampleWeight;
    }
    if (o.classWeights && p.data.ys.length > 0) {
      const cw = o.classWeights(p.data.ys);
      owned.push(cw);
      sw = sw ? mul(sw, cw) : cw;
      if (sw !== cw) owned.push(sw);
    }
    if (sw) p.data.sampleWeights = p.data.ys.map(() => sw);
  } catch (e) {
    dispose(owned);
    throw e;
  }
  return { data: p.data, owned };
}
