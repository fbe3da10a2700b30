// fit/evaluate on fromArrays(...).batch(b): the batches are read as row indices into the whole
// columns (rowBatchesOf), converted once after the first batch passed the checks as tensors. The
// same numbers as the tensor batches of the same dataset (`.map(b => b)` drops the row view) and as
// fit(x, y); the same errors; no leaks; the fallbacks (non-tensor columns, casts) train alike.
import { describe, expect, it } from 'vitest';
import { cast, createRng, dispose, memory, round, slice, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { Dataset, fromArrays, fromGenerator, rowBatchesOf, type RowBatches } from '@neurona/data';
import { setSeededWeights, weightsOf } from './helpers';
import { Sequential } from '../src/sequential';
import type { LayersModel } from '../src/model';
import type { BatchStream } from '../src/batches';

const N = 70; // batches of 16: four full ones and a last one of 6
const F = 12;
const C = 5;
const B = 16;

function data(seed: number): { x: Tensor; y: Tensor } {
  const rng = createRng(seed);
  const x = new Float32Array(N * F).map(() => rng() * 2 - 1);
  const y = new Float32Array(N * C);
  for (let i = 0; i < N; i++) y[i * C + ((i * 7 + Math.floor(rng() * 2)) % C)] = 1;
  return { x: tensor2d(x, [N, F]), y: tensor2d(y, [N, C]) };
}

function model(jit: boolean, opt: () => unknown = () => Adam(0.01)): LayersModel {
  resetNames();
  const m = Sequential([Dense(16, { activation: 'relu', inputShape: [F] }), Dense(C, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: opt() as never, metrics: ['accuracy'], jitCompile: jit });
  setSeededWeights(m);
  return m;
}


function close(a: Float32Array[], b: Float32Array[], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((w, i) => {
    let worst = 0;
    for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs(w[j] - b[i][j]) / (1 + Math.abs(b[i][j])));
    expect(worst).toBeLessThan(tol);
  });
}

interface Run {
  weights: Float32Array[];
  loss: number[];
  acc: number[];
  plan: string | undefined;
  leaked: number;
}

/** fit for `epochs`, then one more epoch that must leak nothing (the first made the optimizer's state). */
async function train(jit: boolean, ds: BatchStream, epochs = 4, opt?: () => unknown, stepsPerEpoch?: number): Promise<Run> {
  const m = model(jit, opt);
  const h = await m.fit(ds, { epochs, verbose: 0, stepsPerEpoch });
  const before = memory().numTensors;
  await m.fit(ds, { epochs: 1, verbose: 0, stepsPerEpoch });
  const run = { weights: weightsOf(m), loss: h.history.loss, acc: h.history.accuracy, plan: h.params?.plan, leaked: memory().numTensors - before };
  m.dispose();
  return run;
}

/** The same dataset with its batches made as tensors (map drops the row view). */
const asTensors = <T,>(ds: Dataset<T>): Dataset<T> => {
  const out = ds.map((b) => b);
  expect(rowBatchesOf(out)).toBeNull();
  return out;
};

function same(a: Run, b: Run, tol: number): void {
  expect(a.leaked).toBe(0);
  expect(b.leaked).toBe(0);
  close(a.weights, b.weights, tol);
  a.loss.forEach((l, i) => expect(Math.abs(l - b.loss[i])).toBeLessThan(tol));
  expect(a.acc).toEqual(b.acc);
  expect(a.loss[a.loss.length - 1]).toBeLessThan(a.loss[0]); // it trained
}

/** `ds` with its row view wrapped to count what fit asks of it (and its tensor pass counted too). */
function spied<T>(ds: Dataset<T>): { ds: Dataset<T>; count: { open: number; rows: number; iterated: number } } {
  const view = rowBatchesOf(ds) as RowBatches;
  expect(view).not.toBeNull();
  const count = { open: 0, rows: 0, iterated: 0 };
  const wrapped = new Dataset<T>(
    () => {
      count.iterated++;
      return ds[Symbol.asyncIterator]();
    },
    {
      size: ds.size,
      rowBatches: {
        get columns() {
          return view.columns;
        },
        open: () => {
          count.open++;
          return view.open();
        },
        rows: (g) => {
          count.rows++;
          return view.rows(g);
        },
      },
    },
  );
  return { ds: wrapped, count };
}

describe('fit(fromArrays(x, y).batch(b)) reads row views', () => {
  for (const jit of [true, false]) {
    it(`${jit ? 'compiled' : 'tape'}: only the first batch is made as tensors; the same weights as fit(x, y) and as tensor batches`, async () => {
      const { x, y } = data(3);
      const { ds, count } = spied(fromArrays(x, y).batch(B).prefetch(2));
      const rows = await train(jit, ds, 4);
      expect(count).toEqual({ open: 5, rows: 2, iterated: 0 }); // two fits, five passes: one batch made per fit
      expect(rows.plan).toBe(jit ? 'compiled' : 'tape');
      const tensors = await train(jit, asTensors(fromArrays(x, y).batch(B)), 4);
      same(rows, tensors, 1e-6);
      const m = model(jit);
      const h = await m.fit(x, y, { epochs: 4, batchSize: B, shuffle: false, verbose: 0 });
      await m.fit(x, y, { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
      close(rows.weights, weightsOf(m), 1e-5);
      h.history.loss.forEach((l, i) => expect(Math.abs(l - rows.loss[i])).toBeLessThan(1e-5));
      m.dispose();
      dispose([x, y]);
    });
  }

  it('shuffled with a seed (a new order each epoch), skip/take/repeat before batch, dropRemainder: as the tensor batches', async () => {
    const { x, y } = data(4);
    const makers: (() => Dataset<{ x: Tensor; y: Tensor }>)[] = [
      () => fromArrays(x, y).shuffle(N, { seed: 5 }).batch(B),
      () => fromArrays(x, y).shuffle(20, { seed: 6 }).batch(B, { dropRemainder: true }).prefetch(2),
      () => fromArrays(x, y).skip(3).take(50).repeat(2).batch(B),
    ];
    for (const make of makers) {
      const rows = await train(true, make(), 3, () => SGD({ learningRate: 0.1, momentum: 0.5 }));
      const tensors = await train(true, asTensors(make()), 3, () => SGD({ learningRate: 0.1, momentum: 0.5 }));
      expect(rows.plan).toBe('compiled');
      same(rows, tensors, 1e-6);
    }
    dispose([x, y]);
  });

  it('repeated batches with stepsPerEpoch (one pass runs on across epochs): as the tensor batches', async () => {
    const { x, y } = data(9);
    const make = () => fromArrays(x, y).shuffle(N, { seed: 8 }).batch(B).repeat();
    const { ds, count } = spied(make());
    const rows = await train(true, ds, 4, undefined, 3);
    expect(count).toEqual({ open: 2, rows: 2, iterated: 0 }); // one pass per fit
    const tensors = await train(true, asTensors(make()), 4, undefined, 3);
    expect(rows.plan).toBe('compiled');
    same(rows, tensors, 1e-6);
    dispose([x, y]);
  });

  it('columns that are not tensors (rows of typed arrays) or that need a large cast (int32 x) are made as tensors per batch, with the same numbers', async () => {
    const { x, y } = data(5);
    const xi = cast(tensor2d(Float32Array.from(x.dataSync(), (v) => Math.round(v * 4)), [N, F]), 'int32');
    const xRows = Array.from({ length: N }, (_, i) => Float32Array.from(x.dataSync().subarray(i * F, (i + 1) * F)));
    for (const make of [() => fromArrays(xRows, y).batch(B), () => fromArrays(xi, y).batch(B)] as (() => Dataset<unknown>)[]) {
      const { ds, count } = spied(make());
      const rows = await train(true, ds, 3);
      expect(count.rows).toBe(Math.ceil(N / B) * 4); // every batch of the four passes made as tensors
      const tensors = await train(true, asTensors(make()), 3);
      same(rows, tensors, 1e-6);
    }
    dispose([x, y, xi]);
  });

  it('evaluate and validationData on row views: the same loss and metrics as arrays and tensor batches', async () => {
    const { x, y } = data(6);
    const m = model(true);
    const onArrays = (await m.evaluate(x, y, { batchSize: B })) as number[];
    const before = memory().numTensors;
    const onRows = (await m.evaluate(fromArrays(x, y).batch(B))) as number[];
    expect(memory().numTensors).toBe(before);
    expect(onRows).toHaveLength(2);
    onRows.forEach((v, i) => expect(v).toBeCloseTo(onArrays[i], 5));
    m.dispose();
    const val: number[][] = [];
    for (const vd of [fromArrays(x, y).batch(20), asTensors(fromArrays(x, y).batch(20))]) {
      const mv = model(true);
      const h = await mv.fit(fromArrays(x, y).batch(B), { epochs: 2, verbose: 0, validationData: vd });
      val.push([...h.history.val_loss, ...h.history.val_accuracy]);
      mv.dispose();
    }
    expect(val[0]).toHaveLength(4);
    val[0].forEach((v, i) => expect(v).toBeCloseTo(val[1][i], 5));
    dispose([x, y]);
  });
});

describe('fit(fromArrays(x, y).batch(b)) errors on row views', () => {
  it('a wrong shape is reported on the first batch as for tensor batches; no leak; the model trains on after', async () => {
    const { x, y } = data(7);
    const narrow = tensor2d(x.dataSync().slice(0, N * (F - 1)), [N, F - 1]);
    const messages: string[] = [];
    for (const ds of [fromArrays(narrow, y).batch(B), asTensors(fromArrays(narrow, y).batch(B))]) {
      const m = model(true);
      await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 });
      const before = memory().numTensors;
      messages.push(await m.fit(ds, { epochs: 2, verbose: 0 }).then(() => 'no error', (e: Error) => e.message));
      expect(memory().numTensors).toBe(before);
      const h = await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 });
      expect(h.params?.plan).toBe('compiled');
      expect(Number.isFinite(h.history.loss[0])).toBe(true);
      m.dispose();
    }
    expect(messages[0]).toMatch(/fit: Dense "dense" expects input \[null, 12\], got dataset batch 0 x of shape \[16, 11\]/);
    expect(messages[0]).toBe(messages[1]);
    dispose([x, y, narrow]);
  });

  it('a column disposed while the dataset is in use: the dataset\'s error, no leak, the model usable', async () => {
    const { x, y } = data(8);
    const x2 = x.clone();
    const m = model(true);
    const ds = fromArrays(x2, y).batch(B);
    await m.fit(ds, { epochs: 1, verbose: 0 });
    x2.dispose();
    const before = memory().numTensors;
    await expect(m.fit(ds, { epochs: 1, verbose: 0 })).rejects.toThrow(/fromArrays: the tensor x \[70, 12\] was disposed while the dataset still reads it/);
    expect(memory().numTensors).toBe(before);
    const h = await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
    dispose([x, y]);
  });
});

describe('fit on tensor batches: a batch like the last checked one skips the checks', () => {
  it('a batch of another dtype mid-epoch is still cast, a smaller last one still checked: the numbers of fit(x, y)', async () => {
    const { x, y } = data(10);
    const xr = round(x.mul(4));
    const stream = fromGenerator(async function* () {
      for (let at = 0, b = 0; at < N; at += B, b++) {
        const s = Math.min(B, N - at);
        const xs = slice(xr, [at, 0], [s, F]);
        // batch 2 comes as int32 (cast back to float32 by the checks), the others as float32
        yield { x: b === 2 ? cast(xs, 'int32') : xs, y: slice(y, [at, 0], [s, C]) };
        if (b === 2) xs.dispose();
      }
    });
    for (const jit of [true, false]) {
      const run = await train(jit, stream, 3);
      const m = model(jit);
      await m.fit(xr, y, { epochs: 3, batchSize: B, shuffle: false, verbose: 0 });
      await m.fit(xr, y, { epochs: 1, batchSize: B, shuffle: false, verbose: 0 });
      expect(run.leaked).toBe(0);
      close(run.weights, weightsOf(m), 1e-5);
      m.dispose();
    }
    dispose([x, y, xr]);
  });
});
