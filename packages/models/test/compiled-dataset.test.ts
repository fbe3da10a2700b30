// fit(dataset) on the compiled training step (issue 14 on top of issue 15): the same numbers as
// fit(x, y) on the compiled step and as the tape path, with a final partial batch, sample and class
// weights, stepsPerEpoch, a dataset for validation, a first batch smaller than the others; the same
// errors as the tape path on a bad element mid-epoch, the model usable after, and no leaked tensor.
import { describe, expect, it } from 'vitest';
import { dispose, memory, setSeed, slice, tensor1d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { fastKernelsActive } from '@neurona/kernels';
import { fromArrays, fromGenerator } from '@neurona/data';
import { classificationData, setSeededWeights, weightsOf } from './helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { LayersModel } from '../src/model';
import type { CompileArgs } from '../src/compile';
import type { FitOptions } from '../src/fit';
import type { BatchStream } from '../src/batches';

const N = 70; // batches of 16: four full ones and a last one of 6
const FEATURES = 12;
const CLASSES = 5;
const B = 16;

const data = (seed = 3, sparse = false): { x: Tensor; y: Tensor } => classificationData(N, FEATURES, CLASSES, seed, sparse);

/** An MLP with weights from a fixed seed (not zero biases, so the bias path is exercised). */
function model(jit: boolean, optimizer: () => unknown, loss: CompileArgs['loss'] = 'categorical_crossentropy'): LayersModel {
  resetNames();
  const m = Sequential([Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dense(8, { activation: 'tanh' }), Dense(CLASSES, { activation: 'softmax' })]);
  m.compile({ loss, optimizer: optimizer() as never, jitCompile: jit });
  setSeededWeights(m);
  return m;
}


function close(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

interface Run {
  weights: Float32Array[];
  loss: number[];
  plan: string | undefined;
  leaked: number;
}

/** Two fits (the second must leak nothing: the first made the optimizer's and tracker's state). */
async function train(m: LayersModel, fit: (m: LayersModel, epochs: number) => Promise<{ history: Record<string, number[]>; params?: { plan?: string } | null }>, epochs = 8): Promise<Run> {
  const h = await fit(m, epochs);
  const before = memory().numTensors;
  await fit(m, 1);
  const leaked = memory().numTensors - before;
  const run = { weights: weightsOf(m), loss: h.history.loss, plan: h.params?.plan, leaked };
  m.dispose();
  return run;
}

function agree(a: Run, b: Run, tol = 2e-4): void {
  expect(a.leaked).toBe(0);
  expect(b.leaked).toBe(0);
  a.weights.forEach((w, i) => close(w, b.weights[i], tol));
  a.loss.forEach((l, i) => expect(Math.abs(l - b.loss[i]) / (1 + b.loss[i])).toBeLessThan(tol));
  // training did something
  expect(a.loss[a.loss.length - 1]).not.toBeCloseTo(a.loss[0], 3);
}

const adam = () => Adam(0.01);
const arraysFit = (x: Tensor, y: Tensor, extra: FitOptions = {}) => (m: LayersModel, epochs: number) =>
  m.fit(x, y, { epochs, batchSize: B, shuffle: false, verbose: 0, ...extra });
const datasetFit = (ds: BatchStream, extra: FitOptions = {}) => (m: LayersModel, epochs: number) => m.fit(ds, { epochs, verbose: 0, ...extra });

describe.runIf(fastKernelsActive())('fit(dataset) on the compiled step: the same numbers as arrays and as the tape', () => {
  for (const [name, opt] of [['SGD', () => SGD({ learningRate: 0.1, momentum: 0.5 })], ['Adam', () => Adam(0.01)]] as const) {
    it(`${name}: fit(x, y) and fit(fromArrays(x, y).batch(16).prefetch(2)), with a final partial batch`, async () => {
      const { x, y } = data();
      const arrays = await train(model(true, opt), arraysFit(x, y));
      const ds = fromArrays(x, y).batch(B).prefetch(2);
      const compiled = await train(model(true, opt), datasetFit(ds));
      const tape = await train(model(false, opt), datasetFit(ds));
      expect(arrays.plan).toBe('compiled');
      expect(compiled.plan).toBe('compiled');
      expect(tape.plan).toBe('tape');
      agree(compiled, arrays, 1e-5);
      agree(compiled, tape);
      dispose([x, y]);
    });
  }

  it('sample weights as the third element, class weights, and both: as sampleWeight/classWeight on arrays', async () => {
    const { x, y } = data(4);
    const w = tensor1d(Array.from({ length: N }, (_, i) => 0.5 + (i % 3)));
    const cw = { 0: 2, 3: 0.5 };
    const opt = adam;
    const cases: [FitOptions, BatchStream, FitOptions][] = [
      [{ sampleWeight: w }, fromArrays(x, y, w).batch(B), {}],
      [{ classWeight: cw }, fromArrays(x, y).batch(B), { classWeight: cw }],
      [{ sampleWeight: w, classWeight: cw }, fromArrays(x, y, w).batch(B), { classWeight: cw }],
    ];
    for (const [arrayOpts, ds, dsOpts] of cases) {
      const arrays = await train(model(true, opt), arraysFit(x, y, arrayOpts), 5);
      const compiled = await train(model(true, opt), datasetFit(ds, dsOpts), 5);
      const tape = await train(model(false, opt), datasetFit(ds, dsOpts), 5);
      expect(compiled.plan).toBe('compiled');
      agree(compiled, arrays, 1e-5);
      agree(compiled, tape);
    }
    dispose([x, y, w]);
  });

  it('sparse integer labels, and a loss summed over the batch', async () => {
    const { x, y } = data(5, true);
    const sparse = { className: 'SparseCategoricalCrossentropy', config: {} } as CompileArgs['loss'];
    const summed = { className: 'CategoricalCrossentropy', config: { reduction: 'sum' } } as CompileArgs['loss'];
    const ds = fromArrays(x, y).batch(B);
    const compiled = await train(model(true, () => SGD(0.05), sparse), datasetFit(ds), 5);
    const tape = await train(model(false, () => SGD(0.05), sparse), datasetFit(ds), 5);
    expect(compiled.plan).toBe('compiled');
    agree(compiled, tape);
    const d = data(6);
    const ds2 = fromArrays(d.x, d.y).batch(B);
    const c2 = await train(model(true, () => SGD(0.005), summed), datasetFit(ds2), 5);
    const t2 = await train(model(false, () => SGD(0.005), summed), datasetFit(ds2), 5);
    agree(c2, t2);
    dispose([x, y, d.x, d.y]);
  });

  it('a first batch smaller than the later ones (the plan is laid out again, nothing lost), from a plain async iterable', async () => {
    const { x, y } = data(7);
    // rows 0-3, then 4-19, 20-35, ...: the plan is made for 4 rows, then for 16
    const sizes = [4, 16, 16, 16, 18];
    const stream: BatchStream = {
      async *[Symbol.asyncIterator]() {
        let at = 0;
        for (const s of sizes) {
          yield [slice(x, [at, 0], [s, FEATURES]), slice(y, [at, 0], [s, CLASSES])];
          at += s;
        }
      },
    };
    const compiled = await train(model(true, () => Adam(0.01)), datasetFit(stream), 5);
    const tape = await train(model(false, () => Adam(0.01)), datasetFit(stream), 5);
    expect(compiled.plan).toBe('compiled');
    agree(compiled, tape);
    dispose([x, y]);
  });

  it('stepsPerEpoch over a repeated dataset, validation on a dataset with validationSteps', async () => {
    const { x, y } = data(8);
    const opts: FitOptions = { stepsPerEpoch: 3, validationData: fromArrays(x, y).batch(20).repeat(), validationSteps: 2 };
    const ds = fromArrays(x, y).batch(B).repeat();
    const runs: { run: Run; val: number[] }[] = [];
    for (const jit of [true, false]) {
      let val: number[] = [];
      const run = await train(model(jit, () => SGD(0.1)), async (m, epochs) => {
        const h = await m.fit(ds, { epochs, verbose: 0, ...opts });
        if (epochs > 1) val = h.history.val_loss;
        return h;
      }, 6);
      runs.push({ run, val });
    }
    const [compiled, tape] = runs;
    expect(compiled.run.plan).toBe('compiled');
    expect(compiled.val).toHaveLength(6);
    agree(compiled.run, tape.run);
    compiled.val.forEach((v, i) => expect(v).toBeCloseTo(tape.val[i], 4));
    dispose([x, y]);
  });

  it('verbose says a dataset trains on the compiled step', async () => {
    const { x, y } = data();
    const m = model(true, () => SGD(0.1));
    const w = memoryWriter();
    await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 2, writer: w, advice: false });
    expect(w.text().split('\n').filter((l) => l.startsWith('fit: '))).toEqual(['fit: compiled training step (dense plan, fused optimizer)']);
    m.dispose();
    dispose([x, y]);
  });
});

describe.runIf(fastKernelsActive())('fit(dataset) on the compiled step: errors and what falls back', () => {
  it('a batch of the wrong shape mid-epoch: the tape path\'s error, no leak, the steps before it kept, the model usable', async () => {
    const { x, y } = data(9);
    const results: { message: string; weights: Float32Array[]; leaked: number }[] = [];
    for (const jit of [true, false]) {
      const m = model(jit, () => Adam(0.01));
      await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 }); // the optimizer's state exists now
      const before = memory().numTensors;
      const bad = fromGenerator(async function* () {
        yield { x: slice(x, [0, 0], [B, FEATURES]), y: slice(y, [0, 0], [B, CLASSES]) };
        yield { x: slice(x, [B, 0], [B, FEATURES]), y: slice(y, [B, 0], [B, CLASSES]) };
        yield { x: slice(x, [2 * B, 0], [B, FEATURES - 1]), y: slice(y, [2 * B, 0], [B, CLASSES]) };
        yield { x: slice(x, [3 * B, 0], [B, FEATURES]), y: slice(y, [3 * B, 0], [B, CLASSES]) };
      });
      const message = await m.fit(bad, { verbose: 0, epochs: 2 }).then(() => 'no error', (e: Error) => e.message);
      const leaked = memory().numTensors - before;
      const weights = weightsOf(m);
      // usable: it trains on, and on the same step as before
      const h = await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 });
      expect(h.params?.plan).toBe(jit ? 'compiled' : 'tape');
      expect(Number.isFinite(h.history.loss[0])).toBe(true);
      m.dispose();
      results.push({ message, weights, leaked });
    }
    const [compiled, tape] = results;
    expect(compiled.message).toMatch(/fit: Dense "dense" expects input \[null, 12\], got dataset batch 2 x of shape \[16, 11\]/);
    expect(compiled.message).toBe(tape.message);
    expect(compiled.leaked).toBe(0);
    expect(tape.leaked).toBe(0);
    // the two good steps before the bad batch were taken and are in the variables
    compiled.weights.forEach((w, i) => close(w, tape.weights[i], 1e-4));
    dispose([x, y]);
  });

  it('a dataset for a model that cannot be compiled trains on the tape, and says why', async () => {
    const { x, y } = data();
    resetNames();
    const m = Sequential([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })]);
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['precision'] });
    const w = memoryWriter();
    const h = await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 2, writer: w, advice: false });
    expect(h.params?.plan).toBe('tape');
    expect(w.text()).toMatch(/fit: tape training step \(the metric \w+ has no compiled form\)/);
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['precision'], jitCompile: true });
    await expect(m.fit(fromArrays(x, y).batch(B), { verbose: 0 })).rejects.toThrow(/jitCompile: true.*the metric \w+ has no compiled form/);
    m.dispose();
    dispose([x, y]);
  });
});

describe.runIf(fastKernelsActive())('fit(dataset) on a Sequential without an input shape', () => {
  it('is built by the first batch (read before training starts, then trained on) and runs the compiled step', async () => {
    const { x, y } = data(10);
    const runs: Run[] = [];
    for (const jit of [true, false]) {
      resetNames();
      setSeed(5); // the initializers draw when the first batch builds the model
      const m = Sequential([Dense(8, { activation: 'relu' }), Dense(CLASSES, { activation: 'softmax' })]);
      m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), jitCompile: jit });
      let steps = 0;
      const h = await m.fit(fromArrays(x, y).batch(B), { epochs: 3, verbose: 0, callbacks: [{ onBatchEnd: () => void steps++ }] });
      expect(steps).toBe(3 * Math.ceil(N / B)); // the batch read first is trained on, once
      const before = memory().numTensors;
      await m.fit(fromArrays(x, y).batch(B), { epochs: 1, verbose: 0 });
      runs.push({ weights: weightsOf(m), loss: h.history.loss, plan: h.params?.plan, leaked: memory().numTensors - before });
      m.dispose();
    }
    expect(runs[0].plan).toBe('compiled');
    agree(runs[0], runs[1]);
    dispose([x, y]);
  });
});

describe('fit(dataset) with prefetch', () => {
  it('requests the next batch before the step on the current one runs', async () => {
    const { x, y } = data();
    const m = model(true, () => SGD(0.1));
    let made = 0;
    const ds = fromGenerator(async function* () {
      for (let i = 0; i < N; i += B) {
        made++;
        const s = Math.min(B, N - i);
        yield { x: slice(x, [i, 0], [s, FEATURES]), y: slice(y, [i, 0], [s, CLASSES]) };
      }
    }).prefetch(2);
    const aheadAtStep: number[] = [];
    await m.fit(ds, { epochs: 1, verbose: 0, callbacks: [{ onBatchBegin: (b: number) => void aheadAtStep.push(made - (b + 1)) }] });
    // when batch b's step starts, batch b + 1 has been produced (or is in the making) already, except after the last
    expect(aheadAtStep.slice(0, -1).every((a) => a >= 1)).toBe(true);
    m.dispose();
    dispose([x, y]);
  });
});
