import { describe, expect, it } from 'vitest';
import { createRng, memory, tensor, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Dropout, Flatten, Input, L1, L1L2, resetNames } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '@neurona/optimizers';
import { fastKernelsActive } from '@neurona/kernels';
import { Model } from '../src/functional';
import { classificationData, setSeededWeights, trainedState } from './helpers';
import { Sequential } from '../src/sequential';
import { EarlyStopping } from '../src/callbacks/early-stopping';
import { LearningRateScheduler } from '../src/callbacks/learning-rate-scheduler';
import { memoryWriter } from '../src/writer';
import type { LayersModel } from '../src/model';
import type { CompileArgs } from '../src/compile';
import type { FitOptions } from '../src/fit';

// The compiled training step (a dense plan over the fast kernels' memory) against the tape path
// (jitCompile: false): the same 100-step trajectories within float32 tolerance, the variables
// current whenever a callback looks, callbacks that change the learning rate or stop training,
// no leaked tensors, and the models it must leave to the tape.

const N = 64;
const FEATURES = 12;
const CLASSES = 5;

const data = (seed = 3, sparse = false): { x: Tensor; y: Tensor } => classificationData(N, FEATURES, CLASSES, seed, sparse);

interface Setup {
  layers: () => Layer[];
  compile: () => CompileArgs;
  fit?: FitOptions;
  sparse?: boolean;
  regression?: boolean;
  /** Two classes as 0/1 targets `[N, 1]` (binary cross-entropy). */
  binary?: boolean;
}


interface Run {
  weights: Float32Array[];
  opt: Float32Array[];
  loss: number[];
  history: Record<string, number[]>;
  /** `model.metrics`' results after the last fit (the loss tracker and the compiled metrics). */
  metricResults: number[];
  plan: string | undefined;
  leaked: number;
}

async function run(s: Setup, jit: boolean, epochs = 25): Promise<Run> {
  resetNames();
  const model = Sequential(s.layers());
  model.compile({ ...s.compile(), jitCompile: jit });
  setSeededWeights(model);
  const { x, y } = s.regression ? regressionData() : s.binary ? binaryData() : data(3, s.sparse);
  const h = await model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 0, ...s.fit });
  // the first fit makes the optimizer's state and the loss tracker's: a second must add nothing
  const before = memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, ...s.fit });
  const leaked = memory().numTensors - before;
  const { weights, opt, metricResults } = trainedState(model);
  for (const t of [x, y]) t.dispose();
  model.dispose();
  return { weights, opt, loss: h.history.loss, history: h.history as Record<string, number[]>, metricResults, plan: h.params?.plan, leaked };
}

function regressionData(): { x: Tensor; y: Tensor } {
  const rng = createRng(5);
  const x = new Float32Array(N * FEATURES).map(() => rng() * 2 - 1);
  const y = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) for (let j = 0; j < 3; j++) y[i * 3 + j] = x[i * FEATURES + j] - 0.5 * x[i * FEATURES + j + 3];
  return { x: tensor2d(x, [N, FEATURES]), y: tensor2d(y, [N, 3]) };
}

function binaryData(): { x: Tensor; y: Tensor } {
  const rng = createRng(9);
  const x = new Float32Array(N * FEATURES).map(() => rng() * 2 - 1);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) y[i] = x[i * FEATURES] + 0.5 * x[i * FEATURES + 1] - 0.3 * x[i * FEATURES + 2] + (rng() - 0.5) * 0.6 > 0 ? 1 : 0;
  return { x: tensor2d(x, [N, FEATURES]), y: tensor2d(y, [N, 1]) };
}

function close(a: Float32Array, b: Float32Array, tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
}

async function agree(s: Setup, tol = 2e-4): Promise<void> {
  const tape = await run(s, false);
  const compiled = await run(s, true);
  expect(tape.plan).toBe('tape');
  expect(compiled.plan).toBe('compiled');
  expect(compiled.leaked).toBe(0);
  expect(tape.leaked).toBe(0);
  compiled.weights.forEach((w, i) => close(w, tape.weights[i], tol));
  expect(compiled.opt.length).toBe(tape.opt.length);
  compiled.opt.forEach((w, i) => close(w, tape.opt[i], tol));
  compiled.loss.forEach((l, i) => expect(Math.abs(l - tape.loss[i]) / (1 + tape.loss[i])).toBeLessThan(tol));
  // the same epoch logs: the same keys in the same order, the same values
  expect(Object.keys(compiled.history)).toEqual(Object.keys(tape.history));
  for (const key of Object.keys(tape.history)) {
    if (key === 'loss') continue;
    compiled.history[key].forEach((v, i) => {
      // accuracies count hits: equal unless a prediction sits within float32 noise of a tie
      if (key.includes('accuracy')) expect(Math.abs(v - tape.history[key][i])).toBeLessThanOrEqual(1 / N + 1e-7);
      else expect(Math.abs(v - tape.history[key][i]) / (1 + Math.abs(tape.history[key][i]))).toBeLessThan(tol);
    });
  }
  // model.metrics report the last pass on both paths
  expect(compiled.metricResults.length).toBe(tape.metricResults.length);
  compiled.metricResults.forEach((v, i) => expect(Math.abs(v - tape.metricResults[i]) / (1 + Math.abs(tape.metricResults[i]))).toBeLessThan(tol + 1 / N));
  // training did something
  expect(compiled.loss[compiled.loss.length - 1]).not.toBeCloseTo(compiled.loss[0], 3);
}

const mlp = (hidden = 'relu', out = 'softmax') => () => [Dense(16, { activation: hidden, inputShape: [FEATURES] }), Dense(8, { activation: hidden }), Dense(CLASSES, { activation: out })];
const cce = (optimizer: () => unknown) => () => ({ loss: 'categorical_crossentropy', optimizer: optimizer() }) as CompileArgs;

// the second increment's models: binary outputs, penalties, frozen layers, dropout
const binaryNet = (out: string) => () => [Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dense(8, { activation: 'tanh' }), Dense(1, { activation: out })];
const penalized = () => [
  Dense(16, { activation: 'relu', inputShape: [FEATURES], kernelRegularizer: 'l2', biasRegularizer: L1(0.02) }),
  Dense(8, { activation: 'relu', kernelRegularizer: L1L2({ l1: 0.01, l2: 0.005 }) }),
  Dense(CLASSES, { activation: 'softmax', kernelRegularizer: 'l1' }),
];
const frozenAt = (which: number[]) => () => {
  const ls = mlp()();
  for (const i of which) ls[i].trainable = false;
  return ls;
};
const dropped = () => [Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.3, { seed: 5 }), Dense(8, { activation: 'tanh' }), Dropout(0.5, { seed: 6 }), Dense(CLASSES, { activation: 'softmax' })];
/** 13 units (a row stride of 16 in the plan) and an unseeded Dropout. */
const oddDropped = () => [Dense(13, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.4), Dense(CLASSES, { activation: 'softmax' })];
const sigmoidDropped = () => [Dense(16, { activation: 'sigmoid', inputShape: [FEATURES] }), Dropout(0.2, { seed: 1 }), Flatten(), Dense(CLASSES, { activation: 'softmax' })];

describe.runIf(fastKernelsActive())('compiled training step: 100 steps agree with the tape path', () => {
  it('SGD', () => agree({ layers: mlp(), compile: cce(() => SGD(0.1)) }));
  it('SGD with momentum', () => agree({ layers: mlp(), compile: cce(() => SGD({ learningRate: 0.05, momentum: 0.9 })) }));
  it('SGD with Nesterov momentum and clipNorm', () => agree({ layers: mlp(), compile: cce(() => SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, clipNorm: 0.5 })) }));
  it('Adam', () => agree({ layers: mlp(), compile: cce(() => Adam(0.01)) }));
  it('Adam with clipValue', () => agree({ layers: mlp(), compile: cce(() => Adam({ learningRate: 0.01, clipValue: 0.05 })) }));
  it('Adam with globalClipNorm', () => agree({ layers: mlp(), compile: cce(() => Adam({ learningRate: 0.01, globalClipNorm: 0.3 })) }));
  it('AdamW (weight decay)', () => agree({ layers: mlp(), compile: cce(() => AdamW({ learningRate: 0.01, weightDecay: 0.05 })) }));
  it('SGD with weight decay', () => agree({ layers: mlp(), compile: cce(() => SGD({ learningRate: 0.1, weightDecay: 0.01 })) }));
  it('sigmoid and tanh hidden layers', async () => {
    await agree({ layers: mlp('sigmoid'), compile: cce(() => Adam(0.01)) });
    await agree({ layers: mlp('tanh'), compile: cce(() => SGD(0.1)) });
  });
  it('logits with fromLogits and sparse labels', () =>
    agree({ layers: mlp('relu', 'linear'), sparse: true, compile: () => ({ loss: { className: 'SparseCategoricalCrossentropy', config: { fromLogits: true } }, optimizer: Adam(0.01) }) as CompileArgs }));
  it('mean squared error (linear, sigmoid and softmax outputs)', async () => {
    const layers = (out: string) => () => [Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dense(3, { activation: out })];
    await agree({ layers: layers('linear'), regression: true, compile: () => ({ loss: 'mse', optimizer: SGD(0.05) }) });
    await agree({ layers: layers('sigmoid'), regression: true, compile: () => ({ loss: 'mse', optimizer: Adam(0.01) }) });
    await agree({ layers: layers('softmax'), regression: true, compile: () => ({ loss: 'mse', optimizer: Adam(0.01) }) });
  });
  it('a layer without bias, Flatten, a loss summed over the batch', () =>
    agree({
      layers: () => [Flatten({ inputShape: [FEATURES] }), Dense(16, { activation: 'relu', useBias: false }), Dense(CLASSES, { activation: 'softmax' })],
      compile: () => ({ loss: { className: 'CategoricalCrossentropy', config: { reduction: 'sum' } }, optimizer: SGD(0.01) }) as CompileArgs,
    }));
  it('sample weights and class weights', async () => {
    const sw = Array.from({ length: N }, (_, i) => 0.5 + (i % 3));
    await agree({ layers: mlp(), compile: cce(() => Adam(0.01)), fit: { sampleWeight: sw } });
    await agree({ layers: mlp(), compile: cce(() => SGD(0.1)), fit: { classWeight: { 0: 2, 3: 0.5 } } });
  });
  it('compiled metrics: accuracy resolved as Keras (categorical, sparse, binary), categorical_accuracy, mse and mae', async () => {
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy', 'mse', 'mae'] }) });
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['categorical_accuracy'] }) });
    await agree({ layers: mlp(), sparse: true, compile: () => ({ loss: 'sparse_categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] }) });
    await agree({ layers: mlp('relu', 'linear'), sparse: true, compile: () => ({ loss: { className: 'SparseCategoricalCrossentropy', config: { fromLogits: true } }, optimizer: Adam(0.01), metrics: ['sparse_categorical_accuracy'] }) as CompileArgs });
    await agree({ layers: () => [Dense(16, { activation: 'relu', inputShape: [FEATURES] }), Dense(3, { activation: 'linear' })], regression: true, compile: () => ({ loss: 'mse', optimizer: SGD(0.05), metrics: ['mae', 'mse'] }) });
  });
  it('binary cross-entropy on a sigmoid output (and on logits), with accuracy', async () => {
    await agree({ layers: binaryNet('sigmoid'), binary: true, compile: () => ({ loss: 'binary_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] }) });
    await agree({ layers: binaryNet('linear'), binary: true, compile: () => ({ loss: { className: 'BinaryCrossentropy', config: { fromLogits: true } }, optimizer: SGD(0.1) }) as CompileArgs });
    const sw = Array.from({ length: N }, (_, i) => 0.5 + (i % 3));
    await agree({ layers: binaryNet('sigmoid'), binary: true, compile: () => ({ loss: 'binary_crossentropy', optimizer: SGD(0.1), metrics: ['binary_accuracy'] }), fit: { sampleWeight: sw } });
  });
  it('L1, L2 and L1L2 kernel and bias regularizers (loss term and gradient)', async () => {
    await agree({ layers: penalized, compile: cce(() => SGD(0.1)) });
    await agree({ layers: penalized, compile: () => ({ loss: { className: 'CategoricalCrossentropy', config: { reduction: 'sum' } }, optimizer: Adam(0.01), metrics: ['accuracy'] }) as CompileArgs });
  });
  it('frozen layers: no update, the gradient still flows through them', async () => {
    await agree({ layers: frozenAt([1]), compile: cce(() => Adam(0.01)) });
    await agree({ layers: frozenAt([0]), compile: cce(() => SGD({ learningRate: 0.1, momentum: 0.9 })) });
    await agree({ layers: frozenAt([0, 1]), compile: cce(() => SGD(0.1)) });
    // with a penalty on a frozen layer: in the loss, no update
    await agree({
      layers: () => [Dense(16, { activation: 'relu', inputShape: [FEATURES], kernelRegularizer: 'l2', trainable: false }), Dense(CLASSES, { activation: 'softmax' })],
      compile: cce(() => SGD(0.1)),
    });
  });
  it('RMSprop (plain, momentum, centered) and Adagrad', async () => {
    await agree({ layers: mlp(), compile: cce(() => RMSprop(0.005)) });
    await agree({ layers: mlp(), compile: cce(() => RMSprop({ learningRate: 0.002, rho: 0.8, momentum: 0.5 })) });
    await agree({ layers: mlp(), compile: cce(() => RMSprop({ learningRate: 0.002, momentum: 0.9, centered: true, clipNorm: 1 })) });
    await agree({ layers: mlp(), compile: cce(() => RMSprop({ learningRate: 0.002, centered: true, weightDecay: 0.01 })) });
    await agree({ layers: mlp(), compile: cce(() => Adagrad(0.05)) });
    await agree({ layers: mlp(), compile: cce(() => Adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.5, clipValue: 0.1 })) });
  });
  it('Adam with amsgrad', () => agree({ layers: mlp(), compile: cce(() => Adam({ learningRate: 0.01, amsgrad: true })) }));
  it('a seeded Dropout between Dense layers draws the same masks as the tape path', async () => {
    await agree({ layers: dropped, compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] }) });
    await agree({ layers: sigmoidDropped, compile: cce(() => SGD(0.1)) });
  });
  it('an unseeded Dropout after 13 units (a row stride of 16), batches of 12: the SIMD mask, its tail and the rows spread as the tape draws them', async () => {
    // 12 · 13 = 156 mask values: 19 groups of eight by the SIMD loop and 4 by the JavaScript tail
    const { setSeed } = await import('@neurona/tensor');
    setSeed(21);
    const tape = await run({ layers: oddDropped, compile: cce(() => Adam(0.01)), fit: { batchSize: 12 } }, false);
    setSeed(21);
    const compiled = await run({ layers: oddDropped, compile: cce(() => Adam(0.01)), fit: { batchSize: 12 } }, true);
    expect(tape.plan).toBe('tape');
    expect(compiled.plan).toBe('compiled');
    expect(compiled.leaked).toBe(0);
    compiled.weights.forEach((w, i) => close(w, tape.weights[i], 2e-4));
  });
  it('shuffled batches and a last batch of another size', async () => {
    // the same permutation on both paths: shuffledIndices follows the seeded global generator
    const { setSeed } = await import('@neurona/tensor');
    setSeed(42);
    const tape = await run({ layers: mlp(), compile: cce(() => Adam(0.01)), fit: { batchSize: 24, shuffle: true } }, false, 10);
    setSeed(42);
    const compiled = await run({ layers: mlp(), compile: cce(() => Adam(0.01)), fit: { batchSize: 24, shuffle: true } }, true, 10);
    expect(compiled.plan).toBe('compiled');
    compiled.weights.forEach((w, i) => close(w, tape.weights[i], 2e-4));
  });
});

describe.runIf(fastKernelsActive())('compiled training step: what users can observe', () => {
  function model(jit: boolean, optimizer: unknown = SGD(0.1)): LayersModel {
    resetNames();
    const m = Sequential(mlp()());
    m.compile({ loss: 'categorical_crossentropy', optimizer: optimizer as never, jitCompile: jit });
    setSeededWeights(m);
    return m;
  }

  it('getWeights in a batch callback is current (the same values as the tape path at that batch)', async () => {
    const seen: Record<string, Float32Array[]> = {};
    for (const jit of [false, true]) {
      const m = model(jit);
      const { x, y } = data();
      const snaps: Float32Array[] = [];
      await m.fit(x, y, {
        epochs: 2, batchSize: 16, shuffle: false, verbose: 0,
        callbacks: [{ onBatchEnd: (b: number) => { if (b === 1) { const ws = m.getWeights(); snaps.push(Float32Array.from(ws[0].dataSync())); for (const w of ws) w.dispose(); } } }],
      });
      seen[String(jit)] = snaps;
      x.dispose(); y.dispose(); m.dispose();
    }
    expect(seen.true.length).toBe(2);
    seen.true.forEach((s, i) => close(s, seen.false[i], 1e-5));
    // and it moved between the two epochs
    expect(Math.abs(seen.true[0][0] - seen.true[1][0])).toBeGreaterThan(0);
  });

  it('a batch hook that says needsWeights: false (the progress bar) is spared the write-back; the weights are current at the epoch end', async () => {
    const m = model(true);
    const { x, y } = data();
    const first = m.getWeights();
    const initial = Float32Array.from(first[0].dataSync());
    for (const w of first) w.dispose();
    const seen: Float32Array[] = [];
    const snap = () => {
      const ws = m.getWeights();
      seen.push(Float32Array.from(ws[0].dataSync()));
      for (const w of ws) w.dispose();
    };
    await m.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, callbacks: [{ needsWeights: false, onBatchEnd: (b: number) => { if (b === 0) snap(); } }, { onEpochEnd: snap }] });
    // after the first step the variables still hold the values before it (no write-back), and the epoch end sees the trained ones
    expect(Array.from(seen[0])).toEqual(Array.from(initial));
    expect(Array.from(seen[1])).not.toEqual(Array.from(initial));
    x.dispose(); y.dispose(); m.dispose();
  });

  it('a LearningRateScheduler changes the step, EarlyStopping stops it', async () => {
    const results: { loss: number[]; lr: number; epochs: number }[] = [];
    for (const jit of [false, true]) {
      const m = model(jit);
      const { x, y } = data();
      const h = await m.fit(x, y, {
        epochs: 30, batchSize: 16, shuffle: false, verbose: 0,
        callbacks: [LearningRateScheduler((epoch: number) => (epoch < 3 ? 0.1 : 0.0)), EarlyStopping({ monitor: 'loss', patience: 1, minDelta: 1e-6 })],
      });
      expect(h.params?.plan).toBe(jit ? 'compiled' : 'tape');
      results.push({ loss: h.history.loss, lr: m.optimizer.learningRate, epochs: h.epoch.length });
      x.dispose(); y.dispose(); m.dispose();
    }
    const [tape, compiled] = results;
    expect(compiled.lr).toBe(0);
    // the learning rate 0 from epoch 3 freezes the loss, so EarlyStopping ends training early
    expect(compiled.epochs).toBeLessThan(30);
    expect(compiled.epochs).toBe(tape.epochs);
    compiled.loss.forEach((l, i) => expect(l).toBeCloseTo(tape.loss[i], 5));
  });

  it('setWeights from a callback is seen by the next step', async () => {
    const m = model(true);
    const { x, y } = data();
    let zeros: Tensor[] = [];
    await m.fit(x, y, {
      epochs: 2, batchSize: 64, shuffle: false, verbose: 0,
      callbacks: [{ onEpochEnd: (e: number) => {
        if (e !== 0) return;
        const ws = m.getWeights();
        zeros = ws.map((w) => tensor(new Float32Array(w.size), w.shape));
        for (const w of ws) w.dispose();
        m.setWeights(zeros);
      } }],
    });
    // after zero weights, one SGD step moves only the last bias (every product is zero): the first kernel stays 0
    const ws = m.getWeights();
    expect(Array.from(ws[0].dataSync()).every((v) => v === 0)).toBe(true);
    expect(Array.from(ws[5].dataSync()).some((v) => v !== 0)).toBe(true);
    for (const t of [...ws, ...zeros, x, y]) t.dispose();
    m.dispose();
  });

  it('fit after fit continues the optimizer state (iterations, moments)', async () => {
    const finals: Float32Array[][] = [];
    for (const jit of [false, true]) {
      const m = model(jit, Adam(0.01));
      const { x, y } = data();
      await m.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      await m.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0 });
      expect(m.optimizer.iterations).toBe(24);
      const ws = m.getWeights();
      finals.push(ws.map((w) => Float32Array.from(w.dataSync())));
      for (const t of [...ws, x, y]) t.dispose();
      m.dispose();
    }
    finals[1].forEach((w, i) => close(w, finals[0][i], 1e-4));
  });

  it('verbose says which plan fit used, in one line', async () => {
    for (const jit of [true, false]) {
      const m = model(jit);
      const { x, y } = data();
      const w = memoryWriter();
      await m.fit(x, y, { epochs: 1, batchSize: 32, verbose: 2, writer: w, advice: false });
      const lines = w.text().split('\n').filter((l) => l.startsWith('fit: '));
      expect(lines).toEqual([jit ? "fit: compiled training step (dense plan, fused optimizer, training rows in the kernels' memory)" : 'fit: tape training step (jitCompile is false)']);
      x.dispose(); y.dispose(); m.dispose();
    }
  });
});

describe.runIf(fastKernelsActive())('compiled training step: what falls back to the tape', () => {
  async function planOf(layers: Layer[] | (() => LayersModel), compile: CompileArgs, fit: FitOptions = {}): Promise<string | undefined> {
    resetNames();
    const m = typeof layers === 'function' ? layers() : Sequential(layers);
    m.compile(compile);
    const { x, y } = data();
    await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, ...fit });
    const before = memory().numTensors;
    const h = await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, ...fit });
    expect(memory().numTensors).toBe(before);
    x.dispose(); y.dispose(); m.dispose();
    return h.params?.plan;
  }
  const dense = () => [Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })];

  it('compiles the plain case, and a functional chain', async () => {
    expect(await planOf(dense(), { loss: 'categorical_crossentropy', optimizer: 'adam' })).toBe('compiled');
    const functional = () => {
      const input = Input({ shape: [FEATURES] });
      const h = Dense(8, { activation: 'relu' }).apply(input);
      return Model({ inputs: input, outputs: Dense(CLASSES, { activation: 'softmax' }).apply(h) as never });
    };
    expect(await planOf(functional, { loss: 'categorical_crossentropy', optimizer: 'sgd' })).toBe('compiled');
  });

  it('other metrics, custom regularizers, other dropouts, all-frozen models, other optimizers and losses fall back', async () => {
    const cc = { loss: 'categorical_crossentropy', optimizer: 'sgd' } as CompileArgs;
    expect(await planOf(dense(), { ...cc, metrics: ['accuracy', 'categorical_accuracy', 'mse', 'mae'] })).toBe('compiled');
    expect(await planOf(dense(), { ...cc, metrics: ['precision'] })).toBe('tape');
    expect(await planOf(dense(), { ...cc, metrics: ['top_k_categorical_accuracy'] })).toBe('tape');
    // mse of the probabilities is not what a logits model outputs
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES)], { loss: { className: 'CategoricalCrossentropy', config: { fromLogits: true } }, optimizer: 'sgd', metrics: ['mse'] } as CompileArgs)).toBe('tape');
    const custom = Object.assign((x: Tensor) => x.square().sum() as never, { className: 'Mine', getConfig: () => ({}) });
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES], kernelRegularizer: custom }), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('tape');
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES], kernelRegularizer: 'l2' }), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('compiled');
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.5), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('compiled');
    expect(await planOf([Dropout(0.5, { inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('tape');
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.5, { noiseShape: [null, 1] }), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('tape');
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dropout(0.5), Dropout(0.5), Dense(CLASSES, { activation: 'softmax' })], cc)).toBe('tape');
    expect(await planOf([Dense(8, { activation: 'relu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' }), Dropout(0.5)], cc)).toBe('tape');
    const frozen = dense();
    frozen[0].trainable = false;
    expect(await planOf(frozen, cc)).toBe('compiled');
    const allFrozen = dense();
    for (const l of allFrozen) l.trainable = false;
    expect(await planOf(allFrozen, cc)).toBe('tape');
    expect(await planOf(dense(), { loss: 'categorical_crossentropy', optimizer: RMSprop(0.01) })).toBe('compiled');
    expect(await planOf(dense(), { loss: 'categorical_crossentropy', optimizer: Adam({ amsgrad: true }) })).toBe('compiled');
    expect(await planOf(dense(), { loss: { className: 'BinaryCrossentropy', config: { labelSmoothing: 0.1 } }, optimizer: 'sgd' } as CompileArgs)).toBe('tape');
    expect(await planOf(dense(), { loss: 'kl_divergence', optimizer: 'sgd' })).toBe('tape');
    expect(await planOf(dense(), { loss: 'categorical_crossentropy', optimizer: 'sgd', jitCompile: false })).toBe('tape');
    expect(await planOf([Dense(8, { activation: 'elu', inputShape: [FEATURES] }), Dense(CLASSES, { activation: 'softmax' })], { loss: 'categorical_crossentropy', optimizer: 'sgd' })).toBe('tape');
  });

  it('jitCompile: true fails with the reason when the model cannot be compiled, and leaves it usable', async () => {
    resetNames();
    const m = Sequential(dense());
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['precision'], jitCompile: true });
    const { x, y } = data();
    await expect(m.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/jitCompile: true.*the metric Precision has no compiled form/);
    m.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', jitCompile: true });
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(h.params?.plan).toBe('compiled');
    expect(() => m.compile({ loss: 'mse', optimizer: 'sgd', jitCompile: 'yes' as never })).toThrow(/jitCompile must be true, false or 'auto'/);
    x.dispose(); y.dispose(); m.dispose();
  });
});
