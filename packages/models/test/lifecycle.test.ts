import { beforeEach, describe, expect, it } from 'vitest';
import { dispose, memory, ones, randomNormal, setSeed, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, L1, L2, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { modelFromArtifacts, modelToArtifacts } from '../src/io';

beforeEach(() => resetNames());

/** A compiled two-layer regression model and some data. */
function regression(optimizer: NonNullable<Parameters<ReturnType<typeof Sequential>['compile']>[0]>['optimizer']) {
  setSeed(7);
  const model = Sequential([Dense(4, { inputShape: [3], activation: 'relu' }), Dense(1)]);
  model.compile({ loss: 'mse', optimizer });
  return model;
}

describe('compile again: the optimizer it replaces', () => {
  const x = randomNormal([8, 3]);
  const y = randomNormal([8, 1]);

  it('an optimizer compile made from a name is disposed (its state tensors are released)', async () => {
    const model = regression('adam');
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const first = model.optimizer!;
    const state = first.getWeights(); // iterations + 2 slots for each of 4 variables
    expect(state.length).toBe(9);
    dispose(state);
    const before = memory().numTensors;
    model.compile({ loss: 'mse', optimizer: 'adam' });
    // 8 slot variables and Adam's cached scalar constants are gone
    expect(memory().numTensors).toBeLessThanOrEqual(before - 8);
    expect(model.optimizer).not.toBe(first);
    const after = first.getWeights(); // a disposed optimizer has no state left
    expect(after.length).toBe(1);
    dispose(after);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    model.dispose();
  });

  it('a serialized optimizer ({ className, config }) is compile-made too', async () => {
    const model = regression({ className: 'SGD', config: { learningRate: 0.1, momentum: 0.9 } });
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    const before = memory().numTensors;
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(memory().numTensors).toBeLessThanOrEqual(before - 4); // one momentum slot per variable
    model.dispose();
  });

  it('an optimizer object the user passed is left alone (it may be shared)', async () => {
    const adam = Adam(0.01);
    const model = regression(adam);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = memory().numTensors;
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    // only the previous compile's metric state (the loss tracker's) is released
    expect(memory().numTensors).toBe(before - 1);
    const state = adam.getWeights();
    expect(state.length).toBe(9);
    dispose(state);
    model.dispose();
    adam.dispose();
  });

  it('compile({ optimizer: model.optimizer }) keeps it, and a later compile still releases it', async () => {
    const model = regression('rmsprop');
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const own = model.optimizer!;
    const before = memory().numTensors;
    model.compile({ loss: 'mae', optimizer: own });
    expect(model.optimizer).toBe(own);
    // the optimizer's state stays; only the previous compile's loss-tracker state is released
    expect(memory().numTensors).toBe(before - 1);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(own.iterations).toBe(4);
    const mid = memory().numTensors;
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    expect(memory().numTensors).toBeLessThan(mid);
    model.dispose();
  });

  it('a failed compile keeps the previous optimizer alive', async () => {
    const model = regression('adam');
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = memory().numTensors;
    expect(() => model.compile({ loss: 'mse', optimizer: 'adamm' })).toThrow(/Unknown optimizer "adamm"/);
    expect(memory().numTensors).toBe(before);
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    expect(model.optimizer!.iterations).toBe(4);
    model.dispose();
  });

  it('loading optimizer state saved before every variable trained leaks nothing', async () => {
    const model = regression(SGD({ learningRate: 0.1, momentum: 0.9 }));
    // train the last layer only: the optimizer sees 2 of the 4 variables
    model.getLayer('dense').trainable = false;
    await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
    model.getLayer('dense').trainable = true;
    const art = await modelToArtifacts(model);
    const before = memory().numTensors;
    const loaded = modelFromArtifacts(art);
    expect(loaded.optimizer!.iterations).toBe(1);
    // the file's state names dense_1's two weights only: the optimizer holds state for those
    const state = loaded.optimizer!.getWeights();
    expect(state.length).toBe(3);
    dispose(state);
    loaded.dispose();
    expect(memory().numTensors).toBe(before);
    model.dispose();
  });
});

/** One Dense unit with w = [1, 2]ᵀ, an L2(0.1) kernel penalty and an L1(0.5) activity penalty; SGD(0) keeps w. */
function regularized() {
  const dense = Dense(1, { inputShape: [2], useBias: false, kernelRegularizer: L2(0.1), activityRegularizer: L1(0.5) });
  const m = Sequential([dense]);
  m.compile({ loss: 'mse', optimizer: SGD(0) });
  m.setWeights([tensor2d([[1], [2]])]);
  return { m, dense };
}

describe('regularization in the training loss', () => {
  // w = [1, 2]ᵀ, x = [[1, 1], [2, -1]] → outputs [3, 0]; y = 1:
  // mse 2.5 + L2(0.1)·(1 + 4) = 0.5 + L1(0.5)·(3 + 0)/2 = 0.75 → 3.75
  const x = tensor2d([[1, 1], [2, -1]]);
  const y = ones([2, 1]);

  it('adds the weight penalties and the activity penalty of the batch', async () => {
    const { m } = regularized();
    expect(await m.trainOnBatch(x, y)).toBeCloseTo(3.75, 5);
    // evaluation adds them too, as Keras 3's compute_loss adds model.losses whatever `training` is
    expect(await m.testOnBatch(x, y)).toBeCloseTo(3.75, 5);
    m.dispose();
  });

  it('never adds the activity penalty left by an earlier eager call of the layer', async () => {
    const { m, dense } = regularized();
    const eager = dense(tensor2d([[10, 10]])) as Tensor; // output 30: activity penalty 15, kept by the layer
    expect(dense.activityLosses().map((t) => t.dataSync()[0])).toEqual([15]);
    expect(dense.losses().map((t) => t.dataSync()[0])).toEqual([expect.closeTo(0.5, 5), 15]);
    expect(await m.trainOnBatch(x, y)).toBeCloseTo(3.75, 5);
    expect(await m.trainOnBatch(x, y)).toBeCloseTo(3.75, 5);
    const before = memory().numTensors;
    await m.fit(x, y, { verbose: 0, epochs: 2 });
    expect(memory().numTensors).toBe(before);
    expect(m.history!.history.loss.map((v) => Math.round(v * 1e4) / 1e4)).toEqual([3.75, 3.75]);
    dispose([eager, ...dense.activityLosses()]);
    m.dispose();
  });
});
