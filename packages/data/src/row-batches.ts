// Row views: the batches of an in-memory source (`fromArrays(...).batch(b)`) described as row
// indices into the source's columns instead of new tensors. A consumer that can copy rows itself
// (a model's compiled training step) reads these and skips making, checking and disposing a
// tensor per column per batch; everyone else iterates the dataset and gets tensors as always.

/**
 * The batches of a dataset as row views: each batch is the rows `indices` of the source columns,
 * in the order, with the seeds and sizes that iterating the dataset gives. `rowBatchesOf(ds)`
 * returns it for the datasets that have one.
 */
export interface RowBatches {
  /**
   * The whole source columns in the structure of one element (`{ x, y }` for `fromArrays(x, y)`):
   * a batch is the rows `indices` of each. Null when a column is not a tensor (typed arrays,
   * arrays of numbers): then only `rows` gives a batch. The tensors stay the dataset's owner's:
   * read them, do not dispose them.
   */
  readonly columns: unknown;
  /**
   * One pass: the row indices of each batch in turn (a new array per batch, the consumer's). Opens
   * the pass as iterating the dataset does (a shuffle draws its seed here).
   */
  open(): Iterator<Int32Array>;
  /** The batch of rows `indices` as the dataset yields it (new tensors, the caller's to dispose). */
  rows(indices: Int32Array): unknown;
}

/** Where a dataset keeps its row view (see `rowBatchesOf`). */
export const ROW_BATCHES = Symbol('neurona.data.rowBatches');

/**
 * The row view of `dataset`'s batches, or null when it has none. `fromArrays(...)` (after any
 * shuffle, take, skip, repeat or cache of it) `.batch(b)` has one; `take`, `skip` and `repeat` of
 * the batches keep it (counted alike), and so does `prefetch` (reading ahead in memory gains
 * nothing); any other transformation of the batches (`map`, `filter`, `shuffle`, ...) drops it,
 * and its consumer reads tensors.
 */
export function rowBatchesOf(dataset: unknown): RowBatches | null {
  if (dataset === null || typeof dataset !== 'object') return null;
  const r = (dataset as { [ROW_BATCHES]?: unknown })[ROW_BATCHES];
  return r === undefined ? null : (r as RowBatches);
}

/** `view` with its passes made by `open` from the view's own (the columns and rows unchanged). */
function reopened(view: RowBatches, open: () => Iterator<Int32Array>): RowBatches {
  return {
    get columns() {
      return view.columns;
    },
    open,
    rows: (indices) => view.rows(indices),
  };
}

/** The row view of `take(count)` of the batches. */
export function takeRowBatches(view: RowBatches, count: number): RowBatches {
  return reopened(view, function* () {
    if (count <= 0) return;
    let n = 0;
    for (const g of { [Symbol.iterator]: () => view.open() }) {
      yield g;
      if (++n >= count) return;
    }
  });
}

/** The row view of `skip(count)` of the batches. */
export function skipRowBatches(view: RowBatches, count: number): RowBatches {
  return reopened(view, function* () {
    let n = 0;
    for (const g of { [Symbol.iterator]: () => view.open() }) if (n++ >= count) yield g;
  });
}

/** The row view of `repeat(count)` of the batches: `count` passes, stopping after an empty one. */
export function repeatRowBatches(view: RowBatches, count: number): RowBatches {
  return reopened(view, function* () {
    for (let pass = 0; pass < count; pass++) {
      let any = false;
      for (const g of { [Symbol.iterator]: () => view.open() }) {
        any = true;
        yield g;
      }
      if (!any) return;
    }
  });
}
