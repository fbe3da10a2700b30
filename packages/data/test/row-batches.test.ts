// Row views (rowBatchesOf): the batches of fromArrays(...).batch(b) as row indices into the whole
// columns — the same rows, in the same order, with the same seeds and sizes as iterating the
// dataset; kept by prefetch, dropped by any transformation of the batches.
import { describe, expect, it } from 'vitest';
import { dispose, memory, tensor1d, tensor2d, type Tensor } from '@neurona/tensor';
import { fromArrays, rowBatchesOf, type RowBatches } from '../src/index';
import { range, values } from './helpers';

const x = () => tensor2d(range(44).map((v) => v * 0.5), [11, 4]);
const y = () => tensor1d(range(11).map((i) => i % 3), 'int32');

/** The first column of x's rows, divided back to row numbers (x[i][0] = 2 i). */
const rowsOfBatch = (b: { x: Tensor }): number[] => (b.x.arraySync() as number[][]).map((r) => r[0] / 2);

/** One pass of the view: the row indices of each batch. */
function viewPass(view: RowBatches): number[][] {
  const out: number[][] = [];
  const pass = view.open();
  for (let r = pass.next(); !r.done; r = pass.next()) out.push([...r.value]);
  return out;
}

/** One pass of the dataset itself: the rows of each batch (read from x's values). */
async function datasetPass(ds: AsyncIterable<{ x: Tensor; y: Tensor }>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const b of ds) {
    out.push(rowsOfBatch(b));
    dispose([b.x, b.y]);
  }
  return out;
}

describe('rowBatchesOf', () => {
  it('gives the rows the dataset yields: in order, shuffled with a seed (new order each pass), after take/skip/repeat, with dropRemainder', async () => {
    const [xt, yt] = [x(), y()];
    const make = [
      () => fromArrays(xt, yt).batch(4),
      () => fromArrays(xt, yt).batch(4, { dropRemainder: true }),
      () => fromArrays(xt, yt).shuffle(11, { seed: 7 }).batch(3),
      () => fromArrays(xt, yt).shuffle(5, { seed: 2, reshuffleEachIteration: false }).batch(4),
      () => fromArrays(xt, yt).skip(2).take(7).repeat(2).batch(4),
      () => fromArrays(xt, yt).shuffle(11, { seed: 3 }).cache().batch(5).prefetch(2),
      // counted after batch: take, skip, repeat of the batches (a shuffle below draws a seed per repetition)
      () => fromArrays(xt, yt).shuffle(11, { seed: 9 }).batch(4).repeat(3).skip(1).take(7),
      () => fromArrays(xt, yt).batch(4).take(0).repeat(),
    ];
    for (const m of make) {
      // two passes each (a shuffle draws a new seed per pass): a fresh dataset for each reader, so both see the same seeds
      const viewed = m();
      const iterated = m();
      const view = rowBatchesOf(viewed) as RowBatches;
      expect(view).not.toBeNull();
      const a = [viewPass(view), viewPass(view)];
      const b = [await datasetPass(iterated), await datasetPass(iterated)];
      expect(a).toEqual(b);
    }
    expect(viewPass(rowBatchesOf(fromArrays(xt, yt).batch(4)) as RowBatches)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]);
    expect(viewPass(rowBatchesOf(fromArrays(xt, yt).batch(4, { dropRemainder: true })) as RowBatches)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    const shuffled = viewPass(rowBatchesOf(fromArrays(xt, yt).shuffle(11, { seed: 7 }).batch(3)) as RowBatches).flat();
    expect(shuffled).toHaveLength(11);
    expect(new Set(shuffled)).toEqual(new Set(range(11)));
    expect(shuffled).not.toEqual(range(11));
    dispose([xt, yt]);
  });

  it('columns are the source tensors in the element structure; rows() makes the batch the dataset yields', async () => {
    const [xt, yt] = [x(), y()];
    const w = tensor1d(range(11).map((i) => i / 10));
    const view = rowBatchesOf(fromArrays(xt, yt, w).batch(4)) as RowBatches;
    const cols = view.columns as { x: Tensor; y: Tensor; sampleWeight: Tensor };
    expect(cols.x).toBe(xt);
    expect(cols.y).toBe(yt);
    expect(cols.sampleWeight).toBe(w);
    expect(Object.keys(cols)).toEqual(['x', 'y', 'sampleWeight']);
    const before = memory().numTensors;
    const b = view.rows(Int32Array.from([5, 2, 3])) as { x: Tensor; y: Tensor; sampleWeight: Tensor };
    expect(values(b.x)).toEqual([5, 2, 3].map((i) => range(4).map((j) => (i * 4 + j) * 0.5)));
    expect(b.y.dtype).toBe('int32');
    expect(values(b.y)).toEqual([2, 2, 0]);
    expect(b.sampleWeight.dataSync()).toEqual(Float32Array.from([0.5, 0.2, 0.3]));
    dispose([b.x, b.y, b.sampleWeight]);
    expect(memory().numTensors).toBe(before); // no index tensor left behind
    // one column, no labels: the column itself
    expect((rowBatchesOf(fromArrays(xt).batch(2)) as RowBatches).columns).toBe(xt);
    dispose([xt, yt, w]);
  });

  it('columns is null where a column is not a tensor; rows() still makes tensors', () => {
    const xt = x();
    const view = rowBatchesOf(fromArrays(xt, new Int32Array(range(11))).batch(4)) as RowBatches;
    expect(view.columns).toBeNull();
    const b = view.rows(Int32Array.from([1, 2])) as { x: Tensor; y: Tensor };
    expect(values(b.y)).toEqual([1, 2]);
    dispose([b.x, b.y, xt]);
  });

  it('is kept by prefetch, take, skip and repeat, dropped by map, filter, shuffle, unbatch of the batches, and absent before batch', () => {
    const [xt, yt] = [x(), y()];
    const batched = fromArrays(xt, yt).batch(4);
    expect(rowBatchesOf(batched.prefetch(2))).not.toBeNull();
    expect(rowBatchesOf(batched.prefetch(2).prefetch(1))).not.toBeNull();
    expect(viewPass(rowBatchesOf(batched.repeat(2).skip(1).take(3)) as RowBatches)).toEqual([[4, 5, 6, 7], [8, 9, 10], [0, 1, 2, 3]]);
    expect(rowBatchesOf(batched.cache())).toBeNull();
    expect(rowBatchesOf(batched.map((b) => b))).toBeNull();
    expect(rowBatchesOf(batched.filter(() => true))).toBeNull();
    expect(rowBatchesOf(batched.shuffle(3, { seed: 1 }))).toBeNull();
    expect(rowBatchesOf(batched.unbatch())).toBeNull();
    expect(rowBatchesOf(fromArrays(xt, yt))).toBeNull();
    expect(rowBatchesOf(null)).toBeNull();
    expect(rowBatchesOf([1, 2])).toBeNull();
    dispose([xt, yt]);
  });

  it('reports a column disposed while the dataset is in use when read, as iterating does', async () => {
    const [xt, yt] = [x(), y()];
    const ds = fromArrays(xt, yt).batch(4);
    const view = rowBatchesOf(ds) as RowBatches; // made while alive: nothing read yet
    xt.dispose();
    expect(() => view.columns).toThrow(/fromArrays: the tensor x \[11, 4\] was disposed while the dataset still reads it/);
    expect(() => view.rows(Int32Array.from([0]))).toThrow(/the tensor x \[11, 4\] was disposed/);
    await expect(ds.toArray()).rejects.toThrow(/the tensor x \[11, 4\] was disposed/);
    yt.dispose();
  });
});
