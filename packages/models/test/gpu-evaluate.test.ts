// evaluate and fit's validation on the WebGPU plan (Dawn + SwiftShader in Node): a compiled dense
// chain's test passes run the plan's forward products and loss kernel, the sums read back once.
// Against the tape's evaluate (a twin model with jitCompile: false, the same weights): the loss
// and every metric within 1e-4 relative, batches with a partial last one, sparse int32 targets,
// MSE/MAE, binary cross-entropy with L2 penalties (in the loss, as Keras's evaluation adds them);
// model.metrics report the pass; the dispatches (layers + loss a batch) and submits counted; fit's
// validationData / validationSplit on the plan; the reasons it leaves to the tape; no leaks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, memory, tensor, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { useNodeBackend } from '@neurona/backend-node';
import { Dense, Dropout, L2, resetNames } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { countDispatches, countSubmits, webgpuDevice } from '@neurona/kernels/webgpu';
import { classificationData, setSeededWeights } from './helpers';
import { expectRelClose, startDawn } from './gpu-helpers';
import { Sequential } from '../src/sequential';
import { memoryWriter } from '../src/writer';
import type { CompileArgs } from '../src/compile';
import type { LayersModel } from '../src/model';
import type { EvaluateOptions } from '../src/evaluate';

const TOL = 1e-4;
let adapter = false;

function twin(layers: () => Layer[], compile: () => CompileArgs, jit: boolean): LayersModel {
  resetNames();
  const m = Sequential(layers());
  m.compile({ ...compile(), jitCompile: jit });
  setSeededWeights(m);
  return m;
}

function regressionData(n: number, features: number, outs: number, binary = false): { x: Tensor; y: Tensor } {
  const rng = createRng(5);
  const x = new Float32Array(n * features).map(() => rng() * 2 - 1);
  const y = new Float32Array(n * outs);
  for (let i = 0; i < n; i++) for (let j = 0; j < outs; j++) {
    const v = x[i * features + j] - 0.5 * x[i * features + j + 2];
    y[i * outs + j] = binary ? (v > 0 ? 1 : 0) : v;
  }
  return { x: tensor2d(x, [n, features]), y: tensor2d(y, [n, outs]) };
}

interface Evaluated {
  values: Record<string, number>;
  metrics: number[];
  dispatches: number;
  submits: number;
  leaked: number;
  lines: string;
}

async function evaluateOn(layers: () => Layer[], compile: () => CompileArgs, x: Tensor, y: Tensor, jit: boolean, options: EvaluateOptions = {}): Promise<Evaluated> {
  const device = webgpuDevice();
  if (!device) throw new Error('no device');
  const m = twin(layers, compile, jit);
  const writer = memoryWriter();
  // a first evaluate makes the metrics' state tensors (and loads the plan's chunk): a second adds nothing
  await m.evaluate(x, y, { batchSize: 16, ...options, verbose: 1, writer });
  const before = memory().numTensors;
  const dispatches = countDispatches(device);
  const submits = countSubmits(device);
  let values: Record<string, number>;
  try {
    values = (await m.evaluate(x, y, { batchSize: 16, ...options, returnDict: true })) as Record<string, number>;
  } finally {
    dispatches.stop();
    submits.stop();
  }
  const leaked = memory().numTensors - before;
  const metrics = await Promise.all(m.metrics.map(async (mt) => {
    const r = mt.result();
    const v = (await r.data())[0];
    r.dispose();
    return v;
  }));
  m.dispose();
  return { values, metrics, dispatches: dispatches.count, submits: submits.count, leaked, lines: writer.text() };
}

async function agree(layers: () => Layer[], compile: () => CompileArgs, x: Tensor, y: Tensor, options: EvaluateOptions = {}): Promise<{ gpu: Evaluated; tape: Evaluated }> {
  const tape = await evaluateOn(layers, compile, x, y, false, options);
  const gpu = await evaluateOn(layers, compile, x, y, true, options);
  expect(Object.keys(gpu.values)).toEqual(Object.keys(tape.values));
  for (const k of Object.keys(tape.values)) expectRelClose([gpu.values[k]], [tape.values[k]], TOL, `evaluate ${k}`);
  expectRelClose(gpu.metrics, tape.metrics, TOL, 'model.metrics after evaluate');
  expect(gpu.leaked).toBe(0);
  expect(tape.leaked).toBe(0);
  return { gpu, tape };
}

/**
 * Dispatches of a plan evaluate in batches of `a` less those in batches of `b` (the per-evaluate
 * part cancels); the submits must not differ (all batches go in one command buffer).
 */
async function batchDispatches(layers: () => Layer[], compile: () => CompileArgs, x: Tensor, y: Tensor, a: number, b: number): Promise<number> {
  const device = webgpuDevice();
  if (!device) throw new Error('no device');
  const m = twin(layers, compile, true);
  const counts: number[] = [];
  const submits: number[] = [];
  for (const batchSize of [a, b, a]) {
    const c = countDispatches(device);
    const s = countSubmits(device);
    try {
      await m.evaluate(x, y, { batchSize });
    } finally {
      c.stop();
      s.stop();
    }
    counts.push(c.count);
    submits.push(s.count);
  }
  m.dispose();
  // the first evaluate made the metrics' state: the third is the one to compare
  expect(submits[2]).toBe(submits[1]);
  return counts[2] - counts[1];
}

/** A relu layer with an L2 kernel penalty, a Dropout, a sigmoid output with an L2 bias penalty. */
const penalized = () => [
  Dense(8, { inputShape: [12], activation: 'relu', kernelRegularizer: L2(0.01) }),
  Dropout(0.3),
  Dense(2, { activation: 'sigmoid', biasRegularizer: L2(0.05) }),
];

const ceAccuracy = (): CompileArgs => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });

const mlp = (hidden = 'relu', out = 'softmax', units = 3) => () => [Dense(16, { inputShape: [12], activation: hidden }), Dense(units, { activation: out })];

describe('evaluate and validation on the WebGPU plan (Dawn in Node)', () => {
  beforeAll(async () => {
    adapter = await startDawn();
  }, 180_000);
  afterAll(async () => {
    await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
  });

  it('softmax cross-entropy with accuracy, 70 rows in batches of 16: the tape\'s numbers, 3 dispatches a batch, one read-back', async (ctx) => {
    if (!adapter) return ctx.skip();
    const { x, y } = classificationData(70, 12, 3);
    const { gpu, tape } = await agree(mlp(), () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), x, y);
    expect(gpu.lines).toMatch(/evaluate: compiled test step \(WebGPU plan/);
    expect(tape.lines).toMatch(/evaluate: tape test step \(jitCompile is false\)/);
    // 5 batches (16, 16, 16, 16, 6) of 2 products and the loss kernel, against 1 batch of 70
    expect(await batchDispatches(mlp(), () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), x, y, 16, 70)).toBe(4 * 3);
    expect(tape.dispatches).toBeGreaterThan(5 * 10);
    // besides the batches, a few tfjs kernels put the sums into model.metrics' state once an evaluate
    expect(gpu.dispatches - 5 * 3).toBeLessThanOrEqual(12);
    // one for the weights' copies, one for the batches, one for the sums' read-back; tfjs submits
    // each GPU copy of a tensor (dataToGPU: 4 weights, x, y) and the metrics' state update
    expect(gpu.submits).toBeLessThanOrEqual(12);
    console.log(`evaluate 70 rows b16: plan ${gpu.dispatches} dispatches ${gpu.submits} submits; tape ${tape.dispatches} dispatches ${tape.submits} submits`);
    expect(tape.submits).toBeGreaterThanOrEqual(gpu.submits);
    x.dispose();
    y.dispose();
  }, 300_000);

  it('sparse int32 targets; MSE with MAE through sigmoid/tanh; binary cross-entropy with L2 penalties and binary accuracy; one batch and many', async (ctx) => {
    if (!adapter) return ctx.skip();
    const s = classificationData(37, 12, 3, 5, true);
    await agree(mlp('tanh', 'softmax'), () => ({ loss: 'sparse_categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), s.x, s.y, { batchSize: 8 });
    s.x.dispose();
    s.y.dispose();
    const r = regressionData(45, 12, 2);
    await agree(mlp('sigmoid', 'tanh', 2), () => ({ loss: 'mse', optimizer: SGD(0.1), metrics: ['mae', 'mse'] }), r.x, r.y);
    await agree(mlp('relu', 'linear', 2), () => ({ loss: 'mse', optimizer: SGD(0.1) }), r.x, r.y, { batchSize: 100 });
    r.x.dispose();
    r.y.dispose();
    const b = regressionData(40, 12, 2, true);
    const { gpu } = await agree(penalized, () => ({ loss: 'binary_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), b.x, b.y, { batchSize: 16 });
    // a sum reduction: each batch's summed loss counts n_b times in the pass's mean (Keras's loss tracker), a partial last batch included
    const summed = await agree(penalized, () => ({ loss: { className: 'BinaryCrossentropy', config: { reduction: 'sum' } }, optimizer: SGD(0.1), metrics: ['accuracy'] }) as CompileArgs, b.x, b.y, { batchSize: 16 });
    expect(summed.gpu.lines).toMatch(/evaluate: compiled test step/);
    // 3 batches of 2 products, the loss and 2 penalties, against 1 batch
    expect(await batchDispatches(penalized, () => ({ loss: 'binary_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), b.x, b.y, 16, 40)).toBe(2 * 5);
    expect(gpu.dispatches - 3 * 5).toBeLessThanOrEqual(12);
    b.x.dispose();
    b.y.dispose();
  }, 300_000);

  it('what the plan does not take stays on the tape with the reason; bad input fails with the tape\'s error, the model usable after', async (ctx) => {
    if (!adapter) return ctx.skip();
    const { x, y } = classificationData(30, 12, 3);
    const elu = await agree(mlp('elu'), ceAccuracy, x, y);
    expect(elu.gpu.lines).toMatch(/evaluate: tape test step \(layer "dense" has activation "elu"/);
    const w = tensor(Float32Array.from({ length: 30 }, (_, i) => 0.5 + (i % 3)), [30]);
    // sample weights run on the plan (the loss weighted, the metrics not: as the tape and Keras's `metrics`)
    const weighted = await agree(mlp(), ceAccuracy, x, y, { sampleWeight: w });
    expect(weighted.gpu.lines).toMatch(/evaluate: compiled test step/);
    w.dispose();
    const messages: string[] = [];
    for (const jit of [true, false]) {
      const m = twin(mlp(), ceAccuracy, jit);
      const bad = tensor2d(new Float32Array(30 * 11), [30, 11]);
      const before = memory().numTensors;
      try {
        await m.evaluate(bad, y);
        messages.push('no error');
      } catch (e) {
        messages.push((e as Error).message);
      }
      expect(memory().numTensors).toBe(before);
      bad.dispose();
      const r = (await m.evaluate(x, y, { returnDict: true })) as Record<string, number>;
      expect(Number.isFinite(r.loss)).toBe(true);
      m.dispose();
    }
    expect(messages[0]).toMatch(/evaluate/);
    expect(messages[0]).toBe(messages[1]);
    x.dispose();
    y.dispose();
  }, 300_000);

  it('fit\'s validationData and validationSplit run on the plan: the tape\'s val_ logs', async (ctx) => {
    if (!adapter) return ctx.skip();
    const { x, y } = classificationData(64, 12, 3);
    const v = classificationData(21, 12, 3, 9);
    const history: Record<string, Record<string, number[]>> = {};
    const lines: Record<string, string> = {};
    for (const jit of [false, true]) {
      for (const split of [false, true]) {
        const m = twin(mlp(), () => ({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] }), jit);
        const writer = memoryWriter();
        const h = await m.fit(x, y, {
          epochs: 3, batchSize: 16, shuffle: false, verbose: 1, writer,
          ...(split ? { validationSplit: 0.25 } : { validationData: [v.x, v.y] as [Tensor, Tensor], validationBatchSize: 8 }),
        });
        history[`${jit}${split}`] = h.history as Record<string, number[]>;
        lines[`${jit}${split}`] = writer.text();
        // a second fit with its validation leaves no tensor behind
        const before = memory().numTensors;
        await m.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0, ...(split ? { validationSplit: 0.25 } : { validationData: [v.x, v.y] as [Tensor, Tensor] }) });
        expect(memory().numTensors - before).toBe(0);
        m.dispose();
      }
    }
    for (const split of [false, true]) {
      const g = history[`true${split}`];
      const t = history[`false${split}`];
      expect(Object.keys(g)).toEqual(Object.keys(t));
      expect(Object.keys(g)).toContain('val_accuracy');
      for (const k of Object.keys(t)) expectRelClose(g[k], t[k], TOL, `history ${k} (${split ? 'validationSplit' : 'validationData'})`);
      expect(lines[`true${split}`]).toMatch(/fit: validation: compiled test step/);
    }
    for (const t of [x, y, v.x, v.y]) t.dispose();
  }, 300_000);
});
