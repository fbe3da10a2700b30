// fit / evaluate / predict on datasets (@neurona/data) and async iterables, as Keras 3's data
// adapters take them; sample weights in fit and evaluate.
import { beforeEach, describe, expect, it } from 'vitest';
import { dispose, memory, oneHot, randomNormal, setSeed, tensor1d, tensor2d, argMax, slice, cast } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { fromArrays, fromGenerator } from '@neurona/data';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';

beforeEach(() => resetNames());

function data(n: number, seed: number): { x: Tensor; y: Tensor } {
  setSeed(seed);
  const x = randomNormal([n, 6]);
  const labels = argMax(slice(x, [0, 0], [n, 3]), 1);
  const y = cast(oneHot(labels, 3), 'float32');
  labels.dispose();
  return { x, y };
}

function model(seed = 7) {
  setSeed(seed);
  const m = Sequential([Dense(8, { inputShape: [6], activation: 'relu' }), Dense(3, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
  return m;
}

const values = (ts: Tensor[]) => {
  const out = ts.map((t) => Array.from(t.dataSync()));
  dispose(ts);
  return out;
};

function expectSameWeights(a: ReturnType<typeof model>, b: ReturnType<typeof model>): void {
  const [wa, wb] = [values(a.getWeights()), values(b.getWeights())];
  wa.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(wb[i][j], 5)));
}

describe('fit on a dataset', () => {
  it('gives the same weights and history as the same batches from arrays', async () => {
    const { x, y } = data(80, 1);
    const a = model();
    const b = model();
    const ha = await a.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
    const ds = fromArrays(x, y).batch(16).prefetch(2);
    const hb = await b.fit(ds, { epochs: 3, verbose: 0 });
    expectSameWeights(a, b);
    // a further fit on the dataset leaks nothing (the model's state was made by the first)
    const before = memory().numTensors;
    await b.fit(ds, { epochs: 1, verbose: 0 });
    expect(memory().numTensors).toBe(before);
    for (const k of ['loss', 'accuracy']) hb.history[k].forEach((v, i) => expect(v).toBeCloseTo(ha.history[k][i], 5));
    a.dispose();
    b.dispose();
    dispose([x, y]);
  });

  it('fit(dataset, undefined, options) and tuples [x, y] work too; evaluate and predict match the arrays', async () => {
    const { x, y } = data(40, 2);
    const m = model();
    await m.fit(fromArrays(x, y).batch(8).map((e) => [e.x, e.y] as [Tensor, Tensor]), undefined, { epochs: 1, verbose: 0 });
    const onArrays = (await m.evaluate(x, y, { batchSize: 8, returnDict: true })) as Record<string, number>;
    const onDataset = (await m.evaluate(fromArrays(x, y).batch(8), { returnDict: true })) as Record<string, number>;
    expect(onDataset.loss).toBeCloseTo(onArrays.loss, 5);
    expect(onDataset.accuracy).toBeCloseTo(onArrays.accuracy, 5);
    const p1 = m.predict(x) as Tensor;
    const p2 = (await m.predict(fromArrays(x).batch(16))) as Tensor;
    expect(p2.shape).toEqual([40, 3]);
    values([p1]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(values([p2.clone()])[0][j], 5)));
    dispose([p2]);
    m.dispose();
    dispose([x, y]);
  });

  it('a stream of unknown length: Unknown steps on the first epoch, the count after', async () => {
    const { x, y } = data(48, 3);
    const m = model();
    const writer = memoryWriter();
    const stepsSeen: (number | null)[] = [];
    // an async generator function: read again each epoch, length unknown
    const ds = fromGenerator(async function* () {
      for (let i = 0; i < 48; i += 12) yield { x: slice(x, [i, 0], [12, 6]), y: slice(y, [i, 0], [12, 3]) };
    });
    const h = await m.fit(ds, {
      epochs: 2,
      writer,
      verbose: 1,
      callbacks: [{ onEpochEnd: function (this: { params?: { steps: number | null } }) { stepsSeen.push(this.params?.steps ?? null); } }],
    });
    expect(h.history.loss).toHaveLength(2);
    const text = writer.text();
    expect(text).toMatch(/ {6}4\/Unknown \d+s/);
    expect(text).toMatch(/4\/4 \[=+\]/);
    m.dispose();
    dispose([x, y]);
  });

  it('stepsPerEpoch runs one iterator across epochs: a repeated dataset; validation on a dataset with validationSteps', async () => {
    const { x, y } = data(40, 4);
    const m = model();
    const seen: number[] = [];
    const h = await m.fit(fromArrays(x, y).batch(10).repeat(), {
      epochs: 3,
      stepsPerEpoch: 6,
      validationData: fromArrays(x, y).batch(10).repeat(),
      validationSteps: 2,
      verbose: 0,
      callbacks: [{ onBatchEnd: (b) => void seen.push(b) }],
    });
    expect(seen.length).toBe(18);
    expect(Object.keys(h.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    m.dispose();
    dispose([x, y]);
  });

  it('bad datasets get errors naming the batch, what was expected and what was found; the model stays usable', async () => {
    const { x, y } = data(32, 5);
    const m = model();
    await m.fit(x, y, { verbose: 0 }); // the model's state (optimizer constants, metric states) exists now
    // arrays may train on the compiled plan, which makes no optimizer constants: a dataset fit (the tape) makes them
    await m.fit(fromArrays(x, y).batch(8), { verbose: 0 });
    const before = memory().numTensors;
    await expect(m.fit(fromArrays(x, y).batch(8).repeat(), { verbose: 0 })).rejects.toThrow('fit: the dataset is infinite (repeat()): give stepsPerEpoch');
    await expect(m.fit(fromArrays(x, y).batch(8), { stepsPerEpoch: 5, verbose: 0 })).rejects.toThrow(
      'fit: stepsPerEpoch is 5 but the dataset has 4 batches; give at most 4, or .repeat() the dataset',
    );
    const unknownLength = fromGenerator(async function* () {
      for (let i = 0; i < 32; i += 8) yield { x: slice(x, [i, 0], [8, 6]), y: slice(y, [i, 0], [8, 3]) };
    });
    await expect(m.fit(unknownLength, { stepsPerEpoch: 3, epochs: 2, verbose: 0 })).rejects.toThrow(
      'fit: the dataset ran out of data after 4 batches (in a pass of stepsPerEpoch = 3); give fewer steps, or .repeat() the dataset',
    );
    const wrongShape = fromGenerator(async function* () {
      yield { x: slice(x, [0, 0], [8, 6]), y: slice(y, [0, 0], [8, 3]) };
      yield { x: slice(x, [8, 0], [8, 5]), y: slice(y, [8, 0], [8, 3]) };
    });
    await expect(m.fit(wrongShape, { verbose: 0 })).rejects.toThrow(/fit: Dense "dense" expects input \[null, 6\], got dataset batch 1 x of shape \[8, 5\]/);
    const noY = fromArrays(x).batch(8);
    await expect(m.fit(noY, { verbose: 0 })).rejects.toThrow(/fit: dataset batch 0 has no y \(got a float32 tensor \[8, 6\]\); the model's loss compares its outputs with targets/);
    await expect(m.fit(fromArrays(x, y).batch(8).take(0), { verbose: 0 })).rejects.toThrow('fit: the dataset yielded no batches');
    await expect(m.fit(fromArrays(x, y).batch(8), { batchSize: 8, verbose: 0 } as never)).rejects.toThrow(
      'fit: batchSize does not apply to a dataset, which yields batches already; batch it with dataset.batch(8)',
    );
    await expect(m.fit(fromArrays(x, y).batch(8), y as never, {})).rejects.toThrow('fit: a dataset holds its targets');
    // nothing leaked, and the model trains on afterwards
    expect(memory().numTensors).toBe(before);
    const h = await m.fit(fromArrays(x, y).batch(8), { verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
    dispose([x, y]);
  });
});

describe('sample weights', () => {
  it('fit({ sampleWeight }) on arrays equals a dataset yielding the weights, and weighs the loss as Keras', async () => {
    const { x, y } = data(24, 6);
    const w = tensor1d(Array.from({ length: 24 }, (_, i) => (i % 3) + 0.5));
    const a = model();
    const b = model();
    const ha = await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, sampleWeight: w, verbose: 0 });
    const hb = await b.fit(fromArrays(x, y, w).batch(8), { epochs: 2, verbose: 0 });
    expectSameWeights(a, b);
    ha.history.loss.forEach((v, i) => expect(v).toBeCloseTo(hb.history.loss[i], 5));
    // Keras's 'sum_over_batch_size': Σ w·l / n — weights 0 drop a sample
    const c = model();
    const zero = tensor1d(Array.from({ length: 24 }, (_, i) => (i < 12 ? 1 : 0)));
    const full = (await c.evaluate(x, y, { batchSize: 24, sampleWeight: zero, returnDict: true })) as Record<string, number>;
    const half = (await c.evaluate(slice(x, [0, 0], [12, 6]), slice(y, [0, 0], [12, 3]), { batchSize: 12, returnDict: true })) as Record<string, number>;
    expect(full.loss).toBeCloseTo(half.loss / 2, 5);
    for (const m of [a, b, c]) m.dispose();
    dispose([x, y, w, zero]);
  });

  it('sampleWeight multiplies classWeight; a wrong length is named', async () => {
    const { x, y } = data(12, 7);
    const m = model();
    await expect(m.fit(x, y, { sampleWeight: [1, 2], verbose: 0 })).rejects.toThrow('fit: sampleWeight must hold one weight per sample ([12]), got an array of numbers [2]');
    const h = await m.fit(x, y, { sampleWeight: Array(12).fill(2), classWeight: { 0: 1, 1: 1, 2: 1 }, epochs: 1, verbose: 0 });
    expect(Number.isFinite(h.history.loss[0])).toBe(true);
    m.dispose();
    dispose([x, y]);
  });

  it('tensor2d rows of weights [n, 1] are accepted', async () => {
    const { x, y } = data(8, 8);
    const m = model();
    const w = tensor2d(Array.from({ length: 8 }, () => [1]));
    await m.fit(x, y, { sampleWeight: w, verbose: 0 });
    m.dispose();
    dispose([x, y, w]);
  });
});

describe('a stream larger than memory', () => {
  it('is read as it trains: the generator runs at most a few batches ahead, and nothing is kept', async () => {
    const m = model();
    let made = 0;
    function* samples(n: number) {
      for (let i = 0; i < n; i++) {
        made++;
        const x = new Float32Array(6).map((_, j) => Math.sin(i * 7 + j));
        yield { x, y: [x[0] > x[1] ? 1 : 0, x[0] > x[1] ? 0 : 1, 0] };
      }
    }
    await m.fit(fromGenerator(() => samples(8)).batch(8), { verbose: 0 }); // the model's own state
    const before = memory().numTensors;
    const ahead: number[] = [];
    const batchSize = 8;
    const h = await m.fit(fromGenerator(() => samples(400)).batch(batchSize).prefetch(2), {
      verbose: 0,
      callbacks: [{ onBatchEnd: (batch: number) => void ahead.push(made - 8 - (batch + 1) * batchSize) }],
    });
    expect(h.history.loss).toHaveLength(1);
    expect(ahead).toHaveLength(50);
    // read-ahead is bounded by prefetch (2 batches) plus the batch being assembled, whatever the length
    expect(Math.max(...ahead)).toBeLessThanOrEqual(4 * batchSize);
    expect(memory().numTensors).toBe(before);
    m.dispose();
  });
});
