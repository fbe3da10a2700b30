// The WebGPU training plan (@neurona/kernels/webgpu on tfjs-backend-webgpu's device) against the
// tape path (jitCompile: false) on the same backend: Dawn in Node, on SwiftShader here and in CI.
// ~30-step trajectories within float32 tolerance (the GPU's products sum in another order than
// tfjs-webgpu's matMul: relative 1e-4 on weights and logs), SGD, momentum/Nesterov and Adam/AdamW,
// shuffled and not, the variables current whenever a callback looks, no leaked tensors, the
// reasons it leaves a model to the tape, and the dispatches per step against the tape's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, memory, setSeed, tensor, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, Dropout, L1, L1L2, resetNames } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Adagrad, Adam, AdamW, RMSprop, SGD } from '@neurona/optimizers';
import { countDispatches, webgpuDevice } from '@neurona/kernels/webgpu';
import { setSeededWeights } from './helpers';
import { expectRelClose, startDawn, values, type Run } from './gpu-helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { CompileArgs } from '../src/compile';
import type { FitOptions } from '../src/fit';

const N = 64;
const FEATURES = 12;
const CLASSES = 3;
const TOL = 1e-4;

function data(sparse = false, regression = false, ints = false): { x: Tensor; y: Tensor } {
  const rng = createRng(3);
  const x = new Float32Array(N * FEATURES).map(() => rng() * 2 - 1);
  if (ints) {
    // int32 inputs and one-hot rows: fit casts them to float32, which tfjs-webgpu does by
    // relabelling the int32 buffers (the plan must read int32 words there)
    const labels = Array.from({ length: N }, (_, i) => (i * 7 + Math.floor(rng() * 2)) % CLASSES);
    const y = new Int32Array(N * CLASSES);
    labels.forEach((l, i) => (y[i * CLASSES + l] = 1));
    return { x: tensor(Int32Array.from(x, (v) => Math.round(v * 3)), [N, FEATURES], 'int32'), y: tensor(y, [N, CLASSES], 'int32') };
  }
  if (regression) {
    const y = new Float32Array(N * CLASSES);
    for (let i = 0; i < N; i++) for (let j = 0; j < CLASSES; j++) y[i * CLASSES + j] = x[i * FEATURES + j] - 0.5 * x[i * FEATURES + j + 3];
    return { x: tensor2d(x, [N, FEATURES]), y: tensor2d(y, [N, CLASSES]) };
  }
  const labels = Array.from({ length: N }, (_, i) => (i * 7 + Math.floor(rng() * 2)) % CLASSES);
  if (sparse) return { x: tensor2d(x, [N, FEATURES]), y: tensor(Int32Array.from(labels), [N], 'int32') };
  const y = new Float32Array(N * CLASSES);
  labels.forEach((l, i) => (y[i * CLASSES + l] = 1));
  return { x: tensor2d(x, [N, FEATURES]), y: tensor2d(y, [N, CLASSES]) };
}

interface Setup {
  layers: () => Layer[];
  compile: () => CompileArgs;
  fit?: FitOptions;
  sparse?: boolean;
  regression?: boolean;
  ints?: boolean;
}

const mlp = (out = 'softmax') => () => [Dense(16, { inputShape: [FEATURES], activation: 'relu' }), Dense(CLASSES, { activation: out })];

async function run(s: Setup, jit: boolean, epochs = 8): Promise<Run> {
  resetNames();
  setSeed(42);
  const model = Sequential(s.layers());
  model.compile({ ...s.compile(), jitCompile: jit });
  setSeededWeights(model);
  const { x, y } = data(s.sparse, s.regression, s.ints);
  const writer = memoryWriter();
  // 64 rows in batches of 16: 4 steps an epoch, 32 steps in all
  const h = await model.fit(x, y, { epochs, batchSize: 16, shuffle: false, verbose: 1, writer, ...s.fit });
  // the first fit made the optimizer's state and the loss tracker's: a second adds nothing
  const before = memory().numTensors;
  await model.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0, ...s.fit });
  const leaked = memory().numTensors - before;
  const weights = await values(model.getWeights());
  const opt = await values(model.optimizer.getWeights());
  for (const t of [x, y]) t.dispose();
  model.dispose();
  return { weights, opt, history: h.history as Record<string, number[]>, plan: h.params?.plan, leaked, lines: writer.text() };
}

async function agree(s: Setup): Promise<Run> {
  const tape = await run(s, false);
  const gpu = await run(s, true);
  expect(tape.plan).toBe('tape');
  expect(gpu.plan, gpu.lines).toBe('compiled');
  expect(Object.keys(gpu.history)).toEqual(Object.keys(tape.history));
  for (const k of Object.keys(tape.history)) expectRelClose(gpu.history[k], tape.history[k], TOL, `history ${k}`);
  gpu.weights.forEach((w, i) => expectRelClose(w, tape.weights[i], TOL, `weight ${i}`));
  expect(gpu.opt.length).toBe(tape.opt.length);
  gpu.opt.forEach((w, i) => expectRelClose(w, tape.opt[i], TOL, `optimizer weight ${i}`));
  expect(gpu.leaked).toBe(0);
  expect(tape.leaked).toBe(0);
  return gpu;
}

let adapter = false;

describe('the WebGPU training plan (Dawn in Node)', () => {
  beforeAll(async () => {
    // only a machine without any WebGPU adapter skips (CI has SwiftShader)
    adapter = await startDawn();
  }, 180_000);
  afterAll(async () => {
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
  });

  it('SGD, softmax cross-entropy with accuracy: the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    const r = await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }) });
    expect(r.lines).toMatch(/compiled training step/);
  }, 300_000);

  it('int32 inputs and one-hot targets (float32 by relabelled int32 buffers on WebGPU)', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({ layers: mlp(), ints: true, compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.02, momentum: 0.5 }), metrics: ['accuracy'] }) });
  }, 300_000);

  it('SGD with Nesterov momentum, sparse targets (int32), shuffled', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({
      layers: mlp(),
      sparse: true,
      compile: () => ({ loss: 'sparse_categorical_crossentropy', optimizer: SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true }), metrics: ['accuracy'] }),
      fit: { shuffle: true },
    });
  }, 300_000);

  it('Adam, logits loss, shuffled, a last batch of other size', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({
      layers: mlp('linear'),
      compile: () => ({ loss: { className: 'CategoricalCrossentropy', config: { fromLogits: true } } as never, optimizer: Adam(0.01) }),
      fit: { shuffle: true, batchSize: 24 },
    });
  }, 300_000);

  it('AdamW, MSE through tanh and sigmoid layers, one full batch', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({
      layers: () => [Dense(16, { inputShape: [FEATURES], activation: 'tanh' }), Dense(8, { activation: 'sigmoid' }), Dense(CLASSES, { activation: 'tanh' })],
      regression: true,
      compile: () => ({ loss: 'mse', optimizer: AdamW({ learningRate: 0.01, weightDecay: 0.01 }) }),
      fit: { batchSize: N },
    });
  }, 300_000);

  it('RMSprop (plain; momentum and centered) and Adagrad: the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: RMSprop(0.01), metrics: ['accuracy'] }), fit: { shuffle: true } });
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: RMSprop({ learningRate: 0.005, momentum: 0.5, centered: true }) }) });
    await agree({ layers: mlp('linear'), regression: true, compile: () => ({ loss: 'mse', optimizer: Adagrad(0.05) }) });
  }, 300_000);

  it('clipValue (SGD with momentum, Adam): the tape trajectory, the clip reached', async (ctx) => {
    if (!adapter) return ctx.skip();
    // gradients of this problem reach 0.3 or so: 0.05 clips many of them
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5, clipValue: 0.05 }) }) });
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam({ learningRate: 0.01, clipValue: 0.02 }), metrics: ['accuracy'] }) });
  }, 300_000);

  it('sample weights and class weights (Keras: each sample\'s loss and gradient times its weight, the batch mean over its size): the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    const sampleWeight = Array.from({ length: N }, (_, i) => 0.25 + (i % 5) * 0.5);
    const sw = await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }), metrics: ['accuracy'] }), fit: { sampleWeight, shuffle: true } });
    expect(sw.lines).toMatch(/compiled training step/);
    await agree({ layers: mlp(), sparse: true, compile: () => ({ loss: 'sparse_categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] }), fit: { classWeight: { 0: 1, 1: 3, 2: 0.5 } } });
    await agree({ layers: mlp('linear'), regression: true, compile: () => ({ loss: 'mse', optimizer: SGD(0.05), metrics: ['mae'] }), fit: { sampleWeight } });
  }, 300_000);

  it('clipNorm (per variable) and globalClipNorm, AMSGrad (Adam, AdamW): the tape trajectory, the clip reached', async (ctx) => {
    if (!adapter) return ctx.skip();
    const clipped = await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5, clipNorm: 0.1 }), metrics: ['accuracy'] }) });
    // the same fit without the clip ends elsewhere: the clip was reached
    const free = await run({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }), metrics: ['accuracy'] }) }, true);
    expect(Math.max(...clipped.weights[0].map((w, i) => Math.abs(w - free.weights[0][i])))).toBeGreaterThan(1e-3);
    const global = await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam({ learningRate: 0.01, globalClipNorm: 0.2 }) }), fit: { shuffle: true } });
    expect(global.plan).toBe('compiled');
    await agree({ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam({ learningRate: 0.01, amsgrad: true }), metrics: ['accuracy'] }), fit: { shuffle: true } });
    await agree({ layers: mlp('linear'), regression: true, compile: () => ({ loss: 'mse', optimizer: AdamW({ learningRate: 0.01, weightDecay: 0.05, amsgrad: true, clipNorm: 0.5 }) }) });
  }, 300_000);

  it('binary cross-entropy on probabilities and on logits, binary accuracy and error metrics: the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    // multi-label targets: the one-hot rows, each column a binary label
    await agree({ layers: mlp('sigmoid'), compile: () => ({ loss: 'binary_crossentropy', optimizer: SGD({ learningRate: 0.5, momentum: 0.5 }), metrics: ['binary_accuracy', 'mse', 'mae'] }) });
    await agree({
      layers: mlp('linear'),
      compile: () => ({ loss: { className: 'BinaryCrossentropy', config: { fromLogits: true } } as never, optimizer: Adam(0.01), metrics: ['binary_accuracy'] }),
      fit: { shuffle: true },
    });
  }, 300_000);

  it('L1/L2 kernel and bias regularizers (a frozen layer\'s counted in the loss): the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    const layers = (freeze: boolean) => () => {
      const ls = [
        Dense(16, { inputShape: [FEATURES], activation: 'relu', kernelRegularizer: L1L2({ l1: 0.001, l2: 0.01 }) }),
        Dense(CLASSES, { activation: 'softmax', kernelRegularizer: 'l2', biasRegularizer: L1(0.01) }),
      ];
      if (freeze) ls[0].trainable = false;
      return ls;
    };
    await agree({ layers: layers(false), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }), metrics: ['accuracy'] }) });
    await agree({ layers: layers(true), compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam(0.01) }), fit: { shuffle: true } });
  }, 300_000);

  it('Dropout (seeded: the layer draws each step\'s mask, as on the tape) after one and two layers: the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    await agree({
      layers: () => [Dense(16, { inputShape: [FEATURES], activation: 'relu' }), Dropout(0.3, { seed: 7 }), Dense(CLASSES, { activation: 'softmax' })],
      compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }), metrics: ['accuracy'] }),
    });
    await agree({
      layers: () => [Dense(16, { inputShape: [FEATURES], activation: 'tanh' }), Dropout(0.5, { seed: 3 }), Dense(8, { activation: 'relu' }), Dropout(0.2, { seed: 4 }), Dense(CLASSES, { activation: 'softmax' })],
      compile: () => ({ loss: 'categorical_crossentropy', optimizer: Adam(0.01) }),
      fit: { shuffle: true, batchSize: 24 },
    });
  }, 300_000);

  it('frozen layers (the first, the last): no update, no optimizer state, the gradient flows through', async (ctx) => {
    if (!adapter) return ctx.skip();
    const frozen = (at: number) => () => {
      const ls = [Dense(16, { inputShape: [FEATURES], activation: 'relu' }), Dense(8, { activation: 'tanh' }), Dense(CLASSES, { activation: 'softmax' })];
      ls[at].trainable = false;
      return ls;
    };
    const first = await agree({ layers: frozen(0), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }) }) });
    // the optimizer keeps iterations and a momentum for the kernel and bias of the two trained layers only
    expect(first.opt.length).toBe(1 + 2 * 2);
    await agree({ layers: frozen(2), compile: () => ({ loss: 'categorical_crossentropy', optimizer: AdamW({ learningRate: 0.01, weightDecay: 0.05 }) }) });
  }, 300_000);

  it('a callback sees current weights, changes the learning rate and stops training', async (ctx) => {
    if (!adapter) return ctx.skip();
    const seen: Record<string, number[]> = { tape: [], gpu: [] };
    const after: Record<string, Float32Array[]> = {};
    for (const jit of [false, true]) {
      const key = jit ? 'gpu' : 'tape';
      resetNames();
      const model = Sequential(mlp()());
      model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.2), jitCompile: jit });
      setSeededWeights(model);
      const { x, y } = data();
      const watch = {
        onBatchEnd: async (batch: number) => {
          const [k] = model.getWeights();
          seen[key].push((await k.data())[0]);
          k.dispose();
          if (batch === 1) (model.optimizer as unknown as { learningRate: number }).learningRate = 0.01;
          if (batch === 2) model.stopTraining = true;
        },
      };
      const h = await model.fit(x, y, { epochs: 3, batchSize: 16, shuffle: false, verbose: 0, callbacks: [watch] });
      expect(h.params?.plan).toBe(jit ? 'compiled' : 'tape');
      after[key] = await values(model.getWeights());
      x.dispose();
      y.dispose();
      model.dispose();
    }
    // each batch saw the weights of its own step, the tape's values, and training stopped after 3 steps
    expect(seen.gpu.length).toBe(3);
    expect(new Set(seen.gpu).size).toBe(3);
    expectRelClose(seen.gpu, seen.tape, TOL, 'weights seen by onBatchEnd');
    after.gpu.forEach((w, i) => expectRelClose(w, after.tape[i], TOL, `weight ${i}`));
  }, 300_000);

  it('leaves to the tape, with its reason, what it does not compile', async (ctx) => {
    if (!adapter) return ctx.skip();
    const reasons: [Setup, RegExp][] = [
      [{ layers: () => [Dense(16, { inputShape: [FEATURES], activation: 'elu' }), Dense(CLASSES, { activation: 'softmax' })], compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) }) }, /activation "elu"/],
      [{ layers: mlp(), compile: () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['precision'] }) }, /Precision/],
    ];
    for (const [s, why] of reasons) {
      const r = await run(s, 'auto' as never, 1);
      expect(r.plan).toBe('tape');
      expect(r.lines).toMatch(why);
      expect(r.leaked).toBe(0);
    }
  }, 300_000);

  it('counts its dispatches per step: 3 per layer + 1, against the tape path', async (ctx) => {
    if (!adapter) return ctx.skip();
    const device = webgpuDevice();
    if (!device) throw new Error('no device');
    const perStep: Record<string, number> = {};
    for (const jit of [false, true]) {
      resetNames();
      const model = Sequential(mlp()());
      model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), jitCompile: jit });
      const { x, y } = data();
      await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false }); // warm: pipelines, state
      // the dispatches between one batch's start and the next's: one step (a callback that needs
      // neither weights nor logs adds none)
      const counter = countDispatches(device);
      const marks: number[] = [];
      try {
        await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, shuffle: false, callbacks: [{ needsWeights: false, onBatchBegin: () => void marks.push(counter.count) }] });
      } finally {
        counter.stop();
      }
      const steps = marks.slice(1).map((m, i) => m - marks[i]);
      expect(steps.length).toBe(3);
      perStep[jit ? 'gpu' : 'tape'] = Math.max(...steps);
      // the plan's steps are all alike (the tape's vary by a kernel or so)
      if (jit) expect(Math.min(...steps)).toBe(Math.max(...steps));
      x.dispose();
      y.dispose();
      model.dispose();
    }
    // two layers: 2 forward, 1 loss, 2 weight gradients, 1 input gradient, 1 optimizer pass
    expect(perStep.gpu).toBe(7);
    expect(perStep.tape).toBeGreaterThan(20);
    console.log(`dispatches per step, 12→16→3 SGD: WebGPU plan ${perStep.gpu}, tape ${perStep.tape}`);
  }, 300_000);
});

