// The WebGPU plan's second increment on Dawn + SwiftShader in Node: fit(dataset) on datasets with
// a row view (fromArrays(...).batch(b): the columns uploaded once, each batch gathered by its row
// indices on the GPU), against the tape on the same dataset within 1e-4 relative — shuffled, a
// final partial batch, a first batch smaller than the next (the plan laid out again, larger),
// int32 columns (each batch's own tensors bound in turn); the datasets it leaves to the tape, with
// the reason; and several steps per command encoder: submits per step against the tape's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cast, memory, setSeed, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { fromArrays, fromGenerator } from '@neurona/data';
import { countDispatches, countSubmits, webgpuDevice, STEPS_PER_SUBMIT } from '@neurona/kernels/webgpu';
import { classificationData, setSeededWeights } from './helpers';
import { expectRelClose, startDawn, values, type Run } from './gpu-helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { LayersModel } from '../src/model';
import type { CompileArgs } from '../src/compile';
import type { FitOptions } from '../src/fit';
import type { BatchStream } from '../src/batches';

const N = 64;
const FEATURES = 12;
const CLASSES = 3;
const TOL = 1e-4;

function model(jit: boolean | 'auto', compile: () => CompileArgs): LayersModel {
  resetNames();
  setSeed(42);
  const m = Sequential([Dense(16, { inputShape: [FEATURES], activation: 'relu' }), Dense(CLASSES, { activation: 'softmax' })]);
  m.compile({ ...compile(), jitCompile: jit as boolean });
  setSeededWeights(m);
  return m;
}

/** Two fits on the dataset `make()` (the second must leak nothing), then the weights and optimizer state. */
async function run(jit: boolean | 'auto', compile: () => CompileArgs, make: () => BatchStream, fit: FitOptions = {}, epochs = 6): Promise<Run> {
  const m = model(jit, compile);
  const writer = memoryWriter();
  const h = await m.fit(make(), { epochs, verbose: 1, writer, ...fit });
  const before = memory().numTensors;
  await m.fit(make(), { epochs: 1, verbose: 0, ...fit });
  const leaked = memory().numTensors - before;
  const weights = await values(m.getWeights());
  const opt = await values(m.optimizer.getWeights());
  m.dispose();
  return { weights, opt, history: h.history as Record<string, number[]>, plan: h.params?.plan, leaked, lines: writer.text() };
}

async function agree(compile: () => CompileArgs, make: () => BatchStream, fit: FitOptions = {}): Promise<Run> {
  const tape = await run(false, compile, make, fit);
  const gpu = await run(true, compile, make, fit);
  expect(tape.plan).toBe('tape');
  expect(gpu.plan, gpu.lines).toBe('compiled');
  expect(gpu.lines).toMatch(/WebGPU plan/);
  expect(Object.keys(gpu.history)).toEqual(Object.keys(tape.history));
  for (const k of Object.keys(tape.history)) expectRelClose(gpu.history[k], tape.history[k], TOL, `history ${k}`);
  gpu.weights.forEach((w, i) => expectRelClose(w, tape.weights[i], TOL, `weight ${i}`));
  expect(gpu.opt.length).toBe(tape.opt.length);
  gpu.opt.forEach((w, i) => expectRelClose(w, tape.opt[i], TOL, `optimizer weight ${i}`));
  expect(gpu.leaked).toBe(0);
  expect(tape.leaked).toBe(0);
  // training did something
  expect(gpu.history.loss[gpu.history.loss.length - 1]).not.toBeCloseTo(gpu.history.loss[0], 3);
  return gpu;
}

let adapter = false;
let x: Tensor;
let y: Tensor;
let ySparse: Tensor;

describe('the WebGPU plan on datasets and several steps per submit (Dawn in Node)', () => {
  beforeAll(async () => {
    // only a machine without any WebGPU adapter skips (CI has SwiftShader)
    adapter = await startDawn();
    if (!adapter) return;
    ({ x, y } = classificationData(N, FEATURES, CLASSES));
    ySparse = classificationData(N, FEATURES, CLASSES, 3, true).y;
  }, 180_000);
  afterAll(async () => {
    for (const t of [x, y, ySparse]) t?.dispose();
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
  });

  it('fromArrays(x, y).batch(24) with SGD momentum: a final partial batch, the tape trajectory', async (ctx) => {
    if (!adapter) return ctx.skip();
    const compile = () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.5 }), metrics: ['accuracy'] }) as CompileArgs;
    await agree(compile, () => fromArrays(x, y).batch(24) as unknown as BatchStream);
  }, 300_000);

  it('a shuffled dataset (sparse int32 targets), Adam: the same order on both paths', async (ctx) => {
    if (!adapter) return ctx.skip();
    const compile = () => ({ loss: 'sparse_categorical_crossentropy', optimizer: Adam(0.01), metrics: ['accuracy'] }) as CompileArgs;
    await agree(compile, () => fromArrays(x, ySparse).shuffle(N, { seed: 5 }).batch(16) as unknown as BatchStream);
  }, 300_000);

  it('a first batch smaller than the next (the plan laid out again, larger) and stepsPerEpoch', async (ctx) => {
    if (!adapter) return ctx.skip();
    const compile = () => ({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), metrics: ['accuracy'] }) as CompileArgs;
    // batches 24, 24, 16, 24, 24, 16 skipping 2: 16, 24, 24, 16 a pass
    await agree(compile, () => fromArrays(x, y).batch(24).repeat(2).skip(2) as unknown as BatchStream);
    // one iterator across epochs: 3 batches an epoch of a repeated dataset
    await agree(compile, () => fromArrays(x, y).batch(16).repeat() as unknown as BatchStream, { stepsPerEpoch: 3 });
  }, 300_000);

  it('int32 columns: each batch converted on its own, bound in turn', async (ctx) => {
    if (!adapter) return ctx.skip();
    const xi = cast(x.mul(3).round(), 'int32');
    const yi = cast(y, 'int32');
    try {
      const compile = () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.02), metrics: ['accuracy'] }) as CompileArgs;
      await agree(compile, () => fromArrays(xi, yi).batch(16) as unknown as BatchStream);
    } finally {
      xi.dispose();
      yi.dispose();
    }
  }, 300_000);

  it('leaves to the tape, with its reason, the datasets it does not take', async (ctx) => {
    if (!adapter) return ctx.skip();
    const compile = () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1) }) as CompileArgs;
    const w = tensor2d(Array.from({ length: N }, (_, i) => 1 + (i % 2)), [N, 1]).reshape([N]);
    const generator = () =>
      fromGenerator(function* () {
        for (let s = 0; s < N; s += 32) yield { x: x.slice([s, 0], [32, FEATURES]), y: y.slice([s, 0], [32, CLASSES]) };
      }) as unknown as BatchStream;
    const cases: [() => BatchStream, FitOptions, RegExp][] = [
      [generator, {}, /without row views/],
      [() => fromArrays(x, y, w).batch(16) as unknown as BatchStream, {}, /sample or class weights/],
      [() => fromArrays(x, y).batch(16) as unknown as BatchStream, { classWeight: { 0: 1, 1: 2, 2: 1 } }, /sample or class weights/],
    ];
    try {
      for (const [make, fit, why] of cases) {
        const r = await run('auto', compile, make, fit, 1);
        expect(r.plan).toBe('tape');
        expect(r.lines).toMatch(why);
        expect(r.leaked).toBe(0);
      }
    } finally {
      w.dispose();
    }
  }, 300_000);

  it(`submits ${STEPS_PER_SUBMIT} steps per command encoder when nothing reads between them, one per step when a callback asks for logs`, async (ctx) => {
    if (!adapter) return ctx.skip();
    const device = webgpuDevice();
    if (!device) throw new Error('no device');
    const compile = () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }) as CompileArgs;
    const counts: Record<string, { submits: number; dispatches: number; steps: number }> = {};
    const finals: Record<string, number[]> = {};
    for (const [key, jit, logs, shuffle] of [['tape', false, false, true], ['gpu', true, false, true], ['gpu-fixed', true, false, false], ['gpu-logs', true, true, true]] as const) {
      const m = model(jit, compile);
      await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, shuffle }); // warm: pipelines, state
      const submits = countSubmits(device);
      const dispatches = countDispatches(device);
      // between the first batch's start and the last's: 15 of the epoch's 16 steps (shuffled: each
      // batch an offset into the epoch's order, uploaded once; unshuffled: each batch's row indices
      // written with its step)
      const marks: [number, number][] = [];
      const seen: number[] = [];
      const hooks = logs
        ? { onBatchBegin: () => void marks.push([submits.count, dispatches.count]), onBatchEnd: (_: number, l?: Record<string, number>) => void seen.push(l?.loss ?? NaN) }
        : { needsWeights: false, onBatchBegin: () => void marks.push([submits.count, dispatches.count]) };
      let h;
      try {
        h = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, shuffle, callbacks: [hooks] });
      } finally {
        submits.stop();
        dispatches.stop();
      }
      expect(h.params?.plan).toBe(jit ? 'compiled' : 'tape');
      const [first, last] = [marks[0], marks[marks.length - 1]];
      counts[key] = { submits: last[0] - first[0], dispatches: last[1] - first[1], steps: marks.length - 1 };
      finals[key] = (await values(m.getWeights())).map((w) => w[0]);
      if (logs) expect(seen.every(Number.isFinite)).toBe(true);
      m.dispose();
    }
    expect(counts.gpu.steps).toBe(15);
    // 15 steps: one submit (the 8th step's); the dispatches as before, 7 a step
    expect(counts.gpu.submits).toBe(Math.floor(15 / STEPS_PER_SUBMIT));
    expect(counts.gpu.dispatches).toBe(15 * 7);
    expect(counts['gpu-fixed'].submits).toBe(Math.floor(15 / STEPS_PER_SUBMIT));
    expect(counts['gpu-fixed'].dispatches).toBe(15 * 7);
    // a callback that reads the logs of every batch: each step is submitted before its read
    expect(counts['gpu-logs'].submits).toBeGreaterThanOrEqual(15);
    expect(counts.tape.submits).toBeGreaterThan(15);
    expectRelClose(finals.gpu, finals.tape, TOL, 'weights after the epoch');
    expectRelClose(finals['gpu-logs'], finals.tape, TOL, 'weights after the epoch, logs read every batch');
    console.log(`submits over 15 steps, 12→16→3 SGD b4: WebGPU plan ${counts.gpu.submits} (${counts['gpu-logs'].submits} with logs read every batch), tape ${counts.tape.submits}`);
  }, 300_000);
});
