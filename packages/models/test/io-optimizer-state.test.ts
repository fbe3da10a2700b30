// Optimizer state saved when the optimizer had trained only some variables (a frozen layer, a
// branch without gradient): save records the weight each slot belongs to, load restores by it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispose, memory, randomNormal, setSeed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Concatenate, Dense, Input, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import type { Optimizer } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import type { LayersModel } from '../src/model';
import { loadModel, modelFromArtifacts, modelToArtifacts, saveModel } from '../src/io';
import { maxAbsDiff, tempDir } from './io-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  resetNames();
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

const fitOptions = { batchSize: 4, shuffle: false, verbose: 0 } as const;

function weightsOf(model: LayersModel): Tensor[] {
  return model.getWeights();
}

function expectSameWeights(a: LayersModel, b: LayersModel, tol = 1e-6): void {
  const wa = weightsOf(a);
  const wb = weightsOf(b);
  expect(wb.length).toBe(wa.length);
  wa.forEach((t, i) => expect(maxAbsDiff(t, wb[i])).toBeLessThan(tol));
  dispose([...wa, ...wb]);
}

function optimizerNames(dir: string): string[] {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  return json.neurona.optimizerWeightsManifest[0].weights.map((w: { name: string }) => w.name);
}

function sequential(optimizer: () => Optimizer): LayersModel {
  setSeed(11);
  const model = Sequential([Dense(4, { inputShape: [3], activation: 'tanh' }), Dense(1)]);
  model.compile({ loss: 'mse', optimizer: optimizer() });
  return model;
}

describe.each([
  ['SGD with momentum', () => SGD({ learningRate: 0.05, momentum: 0.9 })],
  ['Adam', () => Adam({ learningRate: 0.01 })],
])('optimizer state of a partly trained model (%s)', (_, makeOptimizer) => {
  const x = randomNormal([8, 3], 0, 1, 'float32', 1);
  const y = randomNormal([8, 1], 0, 1, 'float32', 2);

  it('a layer frozen, then unfrozen before saving: fit after load equals fit without save/load', async () => {
    const model = sequential(makeOptimizer);
    model.getLayer('dense').trainable = false;
    await model.fit(x, y, { ...fitOptions, epochs: 2 });
    model.getLayer('dense').trainable = true;
    const dir = join(tmp.dir, 'unfrozen');
    await saveModel(model, dir);
    // the state belongs to dense_1 only; named by the saved weight names
    expect(optimizerNames(dir).every((n) => n === 'iterations' || n.startsWith('dense_1/'))).toBe(true);
    const loaded = await loadModel(dir);
    expect(loaded.optimizer!.iterations).toBe(model.optimizer!.iterations);
    await model.fit(x, y, { ...fitOptions, epochs: 3 });
    await loaded.fit(x, y, { ...fitOptions, epochs: 3 });
    expectSameWeights(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it('a layer kept frozen: fit after load equals fit without save/load', async () => {
    const model = sequential(makeOptimizer);
    model.getLayer('dense').trainable = false;
    await model.fit(x, y, { ...fitOptions, epochs: 2 });
    const dir = join(tmp.dir, 'frozen');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.getLayer('dense').trainable).toBe(false);
    await model.fit(x, y, { ...fitOptions, epochs: 3 });
    await loaded.fit(x, y, { ...fitOptions, epochs: 3 });
    expectSameWeights(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it('the first layer trained alone, then all: state of the later layer appended after it', async () => {
    const model = sequential(makeOptimizer);
    model.getLayer('dense_1').trainable = false;
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    model.getLayer('dense_1').trainable = true;
    model.getLayer('dense').trainable = false;
    await model.fit(x, y, { ...fitOptions, epochs: 1 });
    model.getLayer('dense').trainable = true;
    // the optimizer saw dense, then dense_1: its own order, which the file keeps
    const dir = join(tmp.dir, 'both');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    await model.fit(x, y, { ...fitOptions, epochs: 2 });
    await loaded.fit(x, y, { ...fitOptions, epochs: 2 });
    expectSameWeights(model, loaded);
    model.dispose();
    loaded.dispose();
  });
});

/** Two inputs, each through its own Dense branch, joined into one output; Adam. */
function twoInputs(): LayersModel {
  setSeed(12);
  const a = Input({ shape: [2], name: 'a' });
  const b = Input({ shape: [3], name: 'b' });
  const ha = Dense(3, { name: 'branch_a', activation: 'relu' })(a);
  const hb = Dense(3, { name: 'branch_b', activation: 'relu' })(b);
  const out = Dense(1, { name: 'out' })(Concatenate()([ha, hb]));
  const model = Model({ inputs: [a, b], outputs: out });
  model.compile({ loss: 'mse', optimizer: Adam({ learningRate: 0.01 }) });
  return model;
}

describe('optimizer state: mapping by saved weight name', () => {
  const xa = randomNormal([8, 2], 0, 1, 'float32', 3);
  const xb = randomNormal([8, 3], 0, 1, 'float32', 4);
  const y = randomNormal([8, 1], 0, 1, 'float32', 5);

  it('a two-input model whose branch got no update resumes as if never saved', async () => {
    const model = twoInputs();
    model.getLayer('branch_a').trainable = false;
    await model.fit([xa, xb], y, { ...fitOptions, epochs: 2 });
    model.getLayer('branch_a').trainable = true;
    const art = await modelToArtifacts(model);
    expect(art.optimizerWeightSpecs!.map((s) => s.name)).toEqual([
      'iterations',
      'branch_b/kernel/momentum',
      'branch_b/kernel/velocity',
      'branch_b/bias/momentum',
      'branch_b/bias/velocity',
      'out/kernel/momentum',
      'out/kernel/velocity',
      'out/bias/momentum',
      'out/bias/velocity',
    ]);
    const loaded = modelFromArtifacts(art);
    await model.fit([xa, xb], y, { ...fitOptions, epochs: 2 });
    await loaded.fit([xa, xb], y, { ...fitOptions, epochs: 2 });
    expectSameWeights(model, loaded);
    model.dispose();
    loaded.dispose();
  });

  it('names the saved weights, not the tfjs variables (which get _1 suffixes beside a live twin)', async () => {
    const first = sequential(() => SGD({ learningRate: 0.05, momentum: 0.9 }));
    resetNames();
    // a second model with the same layer names: its variables are dense/kernel_1, ...
    const model = sequential(() => SGD({ learningRate: 0.05, momentum: 0.9 }));
    expect(model.weights[0].name).toMatch(/_\d+$/);
    await model.fit(xb, y, { ...fitOptions, epochs: 1 });
    const art = await modelToArtifacts(model);
    expect(art.optimizerWeightSpecs!.map((s) => s.name)).toEqual([
      'iterations',
      'dense/kernel/momentum',
      'dense/bias/momentum',
      'dense_1/kernel/momentum',
      'dense_1/bias/momentum',
    ]);
    const loaded = modelFromArtifacts(art);
    await model.fit(xb, y, { ...fitOptions, epochs: 1 });
    await loaded.fit(xb, y, { ...fitOptions, epochs: 1 });
    expectSameWeights(model, loaded);
    for (const m of [first, model, loaded]) m.dispose();
  });

  it('a slot that names a weight the model lacks, or has its wrong shape, is refused with both', async () => {
    const model = sequential(() => SGD({ learningRate: 0.05, momentum: 0.9 }));
    await model.fit(xb, y, { ...fitOptions, epochs: 1 });
    const art = await modelToArtifacts(model);
    const before = memory().numTensors;
    const ghost = { ...art, optimizerWeightSpecs: art.optimizerWeightSpecs!.map((s, i) => (i === 1 ? { ...s, name: 'ghost/kernel/momentum' } : s)) };
    expect(() => modelFromArtifacts(ghost)).toThrow(/optimizer state "ghost\/kernel\/momentum": expected the slot of a weight of the model \(.*"dense\/kernel".*\), got no weight "ghost\/kernel"/);
    // swap the names of two slots of different shapes
    const specs = art.optimizerWeightSpecs!.map((s) => ({ ...s }));
    [specs[1].name, specs[3].name] = [specs[3].name, specs[1].name];
    expect(() => modelFromArtifacts({ ...art, optimizerWeightSpecs: specs })).toThrow(
      /optimizer state "dense_1\/kernel\/momentum": expected float32 \[4, 1\] \(the shape of weight "dense_1\/kernel"\), got float32 \[3, 4\]/,
    );
    expect(memory().numTensors).toBe(before);
    model.dispose();
  });
});
