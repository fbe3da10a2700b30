// The code that only the tape runs loads on demand (a page whose model trains, validates and
// predicts on a compiled plan never downloads it): the tape's engines (engine.ts's `tapeReady`),
// `evaluate` / `trainOnBatch` / `testOnBatch` (evaluate.ts) and `predict` on a dataset
// (predict-stream.ts). This file runs in a fresh module graph, so the first tests see nothing loaded.
import { describe, expect, it } from 'vitest';
import { memory, randomNormal, setSeed, tensor2d, type Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { fromArrays } from '@neurona/data';
import { Sequential } from '../src/sequential';
import { engineFor, tapeEngineLoaded, tapeReady } from '../src/engine';
import type { LayersModel } from '../src/model';

function model(jitCompile?: boolean): LayersModel {
  resetNames();
  setSeed(5);
  const m = Sequential([Dense(6, { inputShape: [4], activation: 'relu' }), Dense(3, { activation: 'softmax' })]);
  m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'], jitCompile });
  return m;
}

const x = randomNormal([24, 4]);
const y = tensor2d(Array.from({ length: 24 }, (_, i) => [0, 1, 2].map((c) => (i % 3 === c ? 1 : 0))));

describe('the tape on demand', () => {
  it('a fit on the compiled plan without validation does not load the tape', async () => {
    const m = model();
    const h = await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    expect(h.params?.plan).toBe('compiled');
    expect(tapeEngineLoaded()).toBe(false);
    m.dispose();
  });

  it('a tape pass asked for before the tape is loaded is a clear internal error, and the engine is still usable after tapeReady()', async () => {
    const before = memory().numTensors;
    const m = model(false);
    const weights = memory().numTensors;
    const engine = engineFor(m, 'train');
    expect(engine.kind).toBe('fused');
    expect(engine.keys).toEqual(['loss', 'accuracy']);
    expect(() => engine.trainPass()).toThrow(/Internal: a tape pass of Sequential "sequential\w*" was asked for before the tape's code was loaded \(await tapeReady\(\) first\)/);
    expect(memory().numTensors).toBe(weights);
    await tapeReady();
    expect(tapeEngineLoaded()).toBe(true);
    const pass = engine.trainPass();
    pass.step({ xs: [x], ys: [y], sampleWeights: null, n: 24 }, null);
    const logs = await pass.finish();
    expect(Number.isFinite(logs.loss)).toBe(true);
    engine.dispose();
    m.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('the tape trains as the compiled plan does (same losses), and leaks nothing', async () => {
    const before = memory().numTensors;
    const onTape = model(false);
    const tape = await onTape.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false, validationData: [x, y] });
    expect(tape.params?.plan).toBe('tape');
    onTape.dispose();
    expect(memory().numTensors).toBe(before);
    const compiled = model();
    const plan = await compiled.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0, shuffle: false, validationData: [x, y] });
    expect(plan.params?.plan).toBe('compiled');
    for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
      tape.history[key].forEach((v, i) => expect(v).toBeCloseTo(plan.history[key][i], 5));
    }
    compiled.dispose();
  });

  it('evaluate, trainOnBatch, testOnBatch and predict on a dataset load their code and give the tape numbers, without leaks', async () => {
    const before = memory().numTensors;
    const m = model();
    const [loss, acc] = (await m.evaluate(x, y)) as number[];
    expect(await m.testOnBatch(x, y)).toEqual([loss, acc]);
    expect(await m.evaluate(fromArrays({ x, y }).batch(8), { returnDict: true })).toEqual({ loss: expect.closeTo(loss, 5) as number, accuracy: expect.closeTo(acc, 5) as number });
    const trained = (await m.trainOnBatch(x, y)) as number[];
    expect(trained[0]).toBeCloseTo(loss, 5);
    const onArrays = m.predict(x) as Tensor;
    const onDataset = (await m.predict(fromArrays({ x }).batch(8))) as Tensor;
    expect(onDataset.shape).toEqual([24, 3]);
    const [a, b] = [onArrays.dataSync(), onDataset.dataSync()];
    a.forEach((v, i) => expect(b[i]).toBeCloseTo(v, 6));
    onArrays.dispose();
    onDataset.dispose();
    m.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('errors stay clear through the lazy paths and leave the model usable', async () => {
    const oneRow = tensor2d([[1, 0, 0]]);
    const m = model();
    await m.evaluate(x, y);
    const before = memory().numTensors;
    await expect(m.evaluate(x, y, { batchSize: 0 })).rejects.toThrow(/evaluate: batchSize/);
    await expect(m.evaluate(x, y, { bogus: 1 } as never)).rejects.toThrow(/evaluate/);
    await expect(m.trainOnBatch(x, oneRow)).rejects.toThrow(/trainOnBatch/);
    await expect(m.predict(fromArrays({ x }).batch(8), { steps: 9 })).rejects.toThrow(/predict: the dataset ran out of data after 3 batches; steps is 9/);
    expect(memory().numTensors).toBe(before);
    expect(await m.evaluate(x, y)).toHaveLength(2);
    m.dispose();
    oneRow.dispose();
  });

  it('fit loads the sample-weight code only when it has weights: the lazy path weighs, errors stay clear, nothing leaks', async () => {
    const before = memory().numTensors;
    const m = model(false);
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, classWeight: { 0: 1, 7: 2 } })).rejects.toThrow(
      "fit: classWeight has class 7, but the model's output has 3 classes (0 to 2)",
    );
    await expect(m.fit(x, y, { epochs: 1, verbose: 0, sampleWeight: [1, 2] })).rejects.toThrow('fit: sampleWeight must hold one weight per sample ([24])');
    // class 0 weighted 0: the same loss as sample weights that zero those samples
    const zero0 = Array.from({ length: 24 }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const a = model(false);
    const b = model(false);
    const byClass = await a.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false, classWeight: { 0: 0 } });
    const bySample = await b.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, shuffle: false, sampleWeight: zero0 });
    byClass.history.loss.forEach((v, i) => expect(v).toBeCloseTo(bySample.history.loss[i], 6));
    for (const t of [m, a, b]) t.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it("a binary and a sparse loss load their label checks; a dataset fit loads its batches; errors stay clear and nothing leaks", async () => {
    const before = memory().numTensors;
    const xs = randomNormal([6, 4]);
    const binary = Sequential([Dense(1, { inputShape: [4], activation: 'sigmoid' })]);
    binary.compile({ loss: 'binary_crossentropy', optimizer: 'sgd' });
    const twos = tensor2d([[0], [1], [2], [1], [0], [1]]);
    await expect(binary.fit(xs, twos, { verbose: 0 })).rejects.toThrow(
      /fit: loss "binary_crossentropy" expects labels in \[0, 1\], but y has values from 0 to 2: for 3 classes use a softmax output with 'sparse_categorical_crossentropy'/,
    );
    const sparse = Sequential([Dense(3, { inputShape: [4], activation: 'softmax' })]);
    sparse.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
    const halves = tensor2d([[0], [1.5], [2], [1], [0], [1]]);
    await expect(sparse.fit(xs, halves, { verbose: 0 })).rejects.toThrow('fit: loss "sparse_categorical_crossentropy" expects integer class labels, but y has fractional values');
    const labels = tensor2d([[0], [1], [2], [1], [0], [1]]);
    const h = await sparse.fit(fromArrays({ x: xs, y: labels }).batch(3), { epochs: 2, verbose: 0 });
    expect(h.history.loss).toHaveLength(2);
    await expect(sparse.fit(fromArrays({ x: xs, y: labels }).batch(3), { epochs: 1, verbose: 0, stepsPerEpoch: 3 })).rejects.toThrow(
      'fit: stepsPerEpoch is 3 but the dataset has 2 batches',
    );
    for (const t of [xs, twos, halves, labels]) t.dispose();
    binary.dispose();
    sparse.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
