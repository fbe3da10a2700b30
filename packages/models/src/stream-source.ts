// The batches of a dataset or an (async) iterable for fit and evaluate: `streamSource` of
// stream-batches.ts loads this module when the first batch is asked for, so a page that trains on arrays
// does not download it.
import { dispose, isTensor, mul } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { rowBatchesOf, unpackXYSampleWeight, type RowBatches } from '@neurona/data';
import { describeData } from '@neurona/common';
import type { LayersModel } from './model';
import { prepareData } from './prepare';
import type { DataArrays } from './step';
import type { Batch, BatchSource, BatchStream } from './batches';
import { checkStreamSteps, type StreamOptions } from './stream-batches';


/**
 * The batches of a dataset or an (async) iterable, converted and checked as arrays are (the values
 * — NaN/Inf, label ranges — on the first batch of the first pass; shapes on every batch, naming the
 * batch). Every element yielded is the consumer's: it is released after its step.
 */
export function loadedStreamSource(model: LayersModel, stream: BatchStream, o: StreamOptions): BatchSource {
  const declared = checkStreamSteps(stream, o);
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
