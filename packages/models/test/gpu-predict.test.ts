// predict on the WebGPU plan's forward kernels (Dawn + SwiftShader in Node): once a fit on WebGPU
// has loaded the plan's chunk, a compiled dense chain predicts as one command encoder over its
// whole input in the given batches, with no read-back. Its outputs equal predict on tfjs kernels
// (a twin model with jitCompile: false) within 1e-4 relative, for softmax, sigmoid, tanh and
// linear outputs, a Flatten in front, a Dropout (identity at inference), partial last batches; its
// dispatches are (layers + a softmax) per batch; bad input fails with predict's own errors; no
// tensor is left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, memory, tensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, Dropout, Flatten, resetNames } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { countDispatches, webgpuDevice } from '@neurona/kernels/webgpu';
import { classificationData, setSeededWeights } from './helpers';
import { expectRelClose, startDawn } from './gpu-helpers';
import { Sequential } from '../src/sequential';
import type { LayersModel } from '../src/model';

const TOL = 1e-4;
let adapter = false;

function twin(layers: () => Layer[], jit: boolean): LayersModel {
  resetNames();
  const m = Sequential(layers());
  m.compile({ loss: 'mse', optimizer: SGD(0.1), jitCompile: jit });
  setSeededWeights(m);
  return m;
}

function input(shape: number[], seed = 9): Tensor {
  const rng = createRng(seed);
  return tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => rng() * 4 - 2), shape);
}

async function read(t: Tensor): Promise<Float32Array> {
  const v = Float32Array.from(await t.data());
  t.dispose();
  return v;
}

/** predict on the plan (jitCompile auto) and on tfjs kernels (jitCompile: false); the plan's dispatches. */
async function compare(layers: () => Layer[], shape: number[], batchSize: number): Promise<{ dispatches: number; tapeDispatches: number }> {
  const device = webgpuDevice();
  if (!device) throw new Error('no device');
  const x = input(shape);
  const out: Record<string, Float32Array> = {};
  const counted: Record<string, number> = {};
  for (const jit of [true, false]) {
    const m = twin(layers, jit);
    const before = memory().numTensors;
    const counter = countDispatches(device);
    let y: Tensor;
    try {
      y = m.predict(x, { batchSize }) as Tensor;
    } finally {
      counter.stop();
    }
    counted[String(jit)] = counter.count;
    // the output is the only new tensor
    expect(memory().numTensors - before).toBe(1);
    expect(y.shape).toEqual([shape[0], m.outputs[0].shape[1]]);
    out[String(jit)] = await read(y);
    m.dispose();
  }
  x.dispose();
  expectRelClose(out.true, out.false, TOL, `predict ${shape.join('×')} in batches of ${batchSize}`);
  return { dispatches: counted.true, tapeDispatches: counted.false };
}

describe('predict on the WebGPU plan (Dawn in Node)', () => {
  beforeAll(async () => {
    adapter = await startDawn();
    if (!adapter) return;
    // a fit on WebGPU loads the plan's chunk (and registers its predictor)
    resetNames();
    const m = Sequential([Dense(4, { inputShape: [12], activation: 'softmax' })]);
    m.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) });
    const { x, y } = classificationData(16, 12, 4);
    await m.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    x.dispose();
    y.dispose();
    m.dispose();
  }, 180_000);
  afterAll(async () => {
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
  });

  it('a softmax MLP in batches with a partial last one: tfjs kernels\' outputs, (2 layers + softmax) dispatches a batch', async (ctx) => {
    if (!adapter) return ctx.skip();
    const r = await compare(() => [Dense(16, { inputShape: [12], activation: 'relu' }), Dense(5, { activation: 'softmax' })], [70, 12], 16);
    // 5 batches (16, 16, 16, 16, 6) of 2 products and a softmax: one command encoder, one submit
    expect(r.dispatches).toBe(5 * 3);
    expect(r.tapeDispatches).toBeGreaterThan(r.dispatches);
  }, 300_000);

  it('sigmoid, tanh and linear outputs, a Flatten in front, a Dropout between, one batch and many', async (ctx) => {
    if (!adapter) return ctx.skip();
    await compare(() => [Flatten({ inputShape: [3, 4] }), Dense(8, { activation: 'tanh' }), Dropout(0.5), Dense(2, { activation: 'sigmoid' })], [33, 3, 4], 64);
    await compare(() => [Dense(6, { inputShape: [12], activation: 'sigmoid' }), Dense(7, { activation: 'relu' }), Dense(3, { activation: 'tanh' })], [40, 12], 7);
    const one = await compare(() => [Dense(3, { inputShape: [12] })], [9, 12], 4);
    expect(one.dispatches).toBe(3);
  }, 300_000);

  it('what the plan does not know predicts on tfjs kernels; bad input fails with predict\'s own errors, the model usable after', async (ctx) => {
    if (!adapter) return ctx.skip();
    // elu is not one of the plan's fused activations: the same outputs, through tfjs
    await compare(() => [Dense(6, { inputShape: [12], activation: 'elu' }), Dense(3, { activation: 'softmax' })], [10, 12], 4);
    const messages: string[] = [];
    for (const jit of [true, false]) {
      const m = twin(() => [Dense(4, { inputShape: [12], activation: 'relu' }), Dense(3, { activation: 'softmax' })], jit);
      const bad = input([5, 11]);
      const before = memory().numTensors;
      try {
        m.predict(bad);
        messages.push('no error');
      } catch (e) {
        messages.push((e as Error).message);
      }
      expect(memory().numTensors).toBe(before);
      bad.dispose();
      const good = input([5, 12]);
      const y = m.predict(good) as Tensor;
      expect(y.shape).toEqual([5, 3]);
      y.dispose();
      good.dispose();
      m.dispose();
    }
    expect(messages[0]).toMatch(/predict/);
    expect(messages[0]).toBe(messages[1]);
  }, 300_000);
});
