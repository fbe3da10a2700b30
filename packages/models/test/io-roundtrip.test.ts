import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispose, mean, memory, randomNormal, setSeed, square, sub, tensor2d } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Activation, Add, Concatenate, Dense, Dropout, Flatten, Input, LeakyReLU, Maxout, PReLU, ReLU, Reshape, Softmax, ELU, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { LossFunctionWrapper, registerLoss, registry as lossRegistry } from '@neurona/losses';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import type { LayersModel } from '../src/model';
import { loadModel, loadWeights, modelFromArtifacts, modelToArtifacts, saveModel, saveWeights } from '../src/io';
import { maxAbsDiff, tempDir } from './io-helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  resetNames();
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

function predict(model: LayersModel, x: Tensor | Tensor[]): Tensor {
  return model.predict(x) as Tensor;
}

describe('saveModel / loadModel on a folder', () => {
  it('writes model.json and group1-shard1of1.bin in the tfjs Layers format', async () => {
    const model = Sequential([Flatten({ inputShape: [2, 2] }), Dense(3, { activation: 'relu' }), Dropout(0.5), Dense(2), Activation('softmax')]);
    const dir = join(tmp.dir, 'm');
    const res = await saveModel(model, dir);
    expect(res.location).toBe(dir);
    expect(readdirSync(dir).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/neurona/);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.class_name).toBe('Sequential');
    const layers = json.modelTopology.config.layers;
    expect(layers.map((l: { class_name: string }) => l.class_name)).toEqual(['Flatten', 'Dense', 'Dropout', 'Dense', 'Activation']);
    expect(layers[0].config.batch_input_shape).toEqual([null, 2, 2]);
    expect(layers[1].config).toMatchObject({ units: 3, activation: 'relu', use_bias: true, kernel_initializer: { class_name: 'GlorotUniform' } });
    expect(json.weightsManifest).toEqual([
      {
        paths: ['group1-shard1of1.bin'],
        weights: [
          { name: 'dense/kernel', shape: [4, 3], dtype: 'float32' },
          { name: 'dense/bias', shape: [3], dtype: 'float32' },
          { name: 'dense_1/kernel', shape: [3, 2], dtype: 'float32' },
          { name: 'dense_1/bias', shape: [2], dtype: 'float32' },
        ],
      },
    ]);
    expect(readFileSync(join(dir, 'group1-shard1of1.bin')).byteLength).toBe((12 + 3 + 6 + 2) * 4);
    model.dispose();
  });

  it('round-trips a Sequential model: same predictions, names and config', async () => {
    setSeed(3);
    const model = Sequential({ name: 'seq' });
    model.add(Dense(5, { inputShape: [4], activation: 'tanh', kernelRegularizer: 'l2' }));
    model.add(LeakyReLU({ alpha: 0.2 }));
    model.add(Maxout(3, { pieces: 2 }));
    model.add(PReLU());
    model.add(ELU({ alpha: 0.7 }));
    model.add(ReLU({ maxValue: 6 }));
    model.add(Reshape([3, 1]));
    model.add(Flatten());
    model.add(Dense(2));
    model.add(Softmax());
    const x = randomNormal([7, 4]);
    const before = predict(model, x);
    await saveModel(model, join(tmp.dir, 'seq'));
    const loaded = await loadModel(join(tmp.dir, 'seq'));
    expect(loaded.kind).toBe('Sequential');
    expect(loaded.name).toBe('seq');
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(
      model.layers.map((l, i) => {
        const c = l.getConfig();
        // the first layer records the input shape; L2 is written as tfjs's L1L2
        if (i === 0) c.kernelRegularizer = { className: 'L1L2', config: { l1: 0, l2: 0.01 } };
        return c;
      }),
    );
    const after = predict(loaded, x);
    expect(maxAbsDiff(before, after)).toBeLessThan(1e-6);
    dispose([x, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('writes Maxout as the documented extension class neurona>Maxout', async () => {
    const model = Sequential([Maxout(2, { inputShape: [3] })]);
    const { modelTopology } = await modelToArtifacts(model);
    expect(JSON.stringify(modelTopology)).toContain('"class_name":"neurona>Maxout"');
    model.dispose();
  });

  it('round-trips a functional model with two inputs, Concatenate, Add and a shared layer', async () => {
    setSeed(4);
    const a = Input({ shape: [3], name: 'a' });
    const b = Input({ shape: [3], name: 'b' });
    const shared = Dense(3, { activation: 'relu', name: 'shared' });
    const ha = shared(a);
    const hb = shared(b);
    const cat = Concatenate()([ha, hb]);
    const sum = Add()([ha, hb]);
    const out = Dense(2, { activation: 'softmax', name: 'out' })(Concatenate()([cat, sum]));
    const model = Model({ inputs: [a, b], outputs: out, name: 'two_in' });
    const xa = randomNormal([5, 3]);
    const xb = randomNormal([5, 3]);
    const before = predict(model, [xa, xb]);
    await saveModel(model, join(tmp.dir, 'fn'));
    const loaded = await loadModel(join(tmp.dir, 'fn'));
    expect(loaded.kind).toBe('Model');
    expect(loaded.name).toBe('two_in');
    expect(loaded.inputNames).toEqual(['a', 'b']);
    expect(loaded.getLayer('shared').inboundNodes.length).toBe(2);
    const after = predict(loaded, [xa, xb]);
    expect(maxAbsDiff(before, after)).toBeLessThan(1e-6);
    dispose([xa, xb, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('restores the compile configuration and optimizer state; leaks no tensors', async () => {
    const model = Sequential([Dense(4, { inputShape: [3], activation: 'relu' }), Dense(2, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: Adam({ learningRate: 0.01, amsgrad: true }), metrics: ['accuracy'] });
    const x = randomNormal([8, 3]);
    const y = tensor2d([[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]]);
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    const dir = join(tmp.dir, 'compiled');
    await saveModel(model, dir);
    expect(existsSync(join(dir, 'optimizer-shard1of1.bin'))).toBe(true);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.neurona.trainingConfig).toMatchObject({ loss: 'categorical_crossentropy', metrics: ['accuracy'], optimizer: { className: 'Adam' } });
    // amsgrad has no tfjs equivalent, so tfjs gets no training_config to misread
    expect(json.trainingConfig).toBeUndefined();
    expect(json.neurona.optimizerWeightsManifest[0].weights.map((w: { name: string }) => w.name).slice(0, 4)).toEqual([
      'iterations',
      'dense/kernel/momentum',
      'dense/kernel/velocity',
      'dense/kernel/velocityHat',
    ]);
    const tensorsBefore = memory().numTensors;
    const loaded = await loadModel(dir);
    expect(loaded.isCompiled).toBe(true);
    expect(loaded.optimizer?.className).toBe('Adam');
    expect(loaded.optimizer?.iterations).toBe(4);
    expect(loaded.optimizer?.getConfig()).toEqual(model.optimizer?.getConfig());
    const a = model.optimizer!.getWeights();
    const b = loaded.optimizer!.getWeights();
    expect(b.length).toBe(a.length);
    a.forEach((t, i) => expect(maxAbsDiff(t, b[i])).toBe(0));
    dispose([...a, ...b]);
    loaded.dispose();
    expect(memory().numTensors).toBe(tensorsBefore);
    dispose([x, y]);
    model.dispose();
  });

  it('writes a tfjs training_config when tfjs can compile from it', async () => {
    const model = Sequential([Dense(2, { inputShape: [3], activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.1, momentum: 0.9 }), metrics: ['accuracy'] });
    const art = await modelToArtifacts(model);
    expect(art.trainingConfig).toEqual({
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
      optimizer_config: { class_name: 'Momentum', config: { learningRate: 0.1, momentum: 0.9, useNesterov: false } },
    });
    const loaded = modelFromArtifacts(art);
    expect(loaded.optimizer?.getConfig()).toMatchObject({ learningRate: 0.1, momentum: 0.9 });
    model.dispose();
    loaded.dispose();
  });

  it('loads without compiling when asked ({ compile: false })', async () => {
    const model = Sequential([Dense(2, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    await saveModel(model, join(tmp.dir, 'nc'));
    const loaded = await loadModel(join(tmp.dir, 'nc'), { compile: false });
    expect(loaded.isCompiled).toBe(false);
    model.dispose();
    loaded.dispose();
  });

  it('saveWeights / loadWeights move only the weights; loadModel explains weights-only folders', async () => {
    setSeed(5);
    const make = () => Sequential([Dense(3, { inputShape: [2], name: 'd1' }), Dense(1, { name: 'd2' })]);
    const a = make();
    const b = make();
    await saveWeights(a, join(tmp.dir, 'w'));
    await loadWeights(b, join(tmp.dir, 'w'));
    const wa = a.getWeights();
    const wb = b.getWeights();
    wa.forEach((t, i) => expect(maxAbsDiff(t, wb[i])).toBe(0));
    await expect(loadModel(join(tmp.dir, 'w'))).rejects.toThrow(/weights only.*loadWeights/);
    dispose([...wa, ...wb]);
    a.dispose();
    b.dispose();
  });

  it('overwrites an existing save and refuses to replace a folder that is not a model', async () => {
    const model = Sequential([Dense(1, { inputShape: [1] })]);
    const dir = join(tmp.dir, 'again');
    await saveModel(model, dir);
    await saveModel(model, dir);
    expect(readdirSync(tmp.dir).filter((n) => n.includes('neurona-'))).toEqual([]);
    await expect(saveModel(model, tmp.dir)).rejects.toThrow(/refusing to replace .*not a saved model/);
    model.dispose();
  });

  it('saves an unbuilt Sequential (no weights) and loads it back unbuilt', async () => {
    const model = Sequential([Dense(3), Dense(1)]);
    await saveModel(model, join(tmp.dir, 'unbuilt'));
    const loaded = await loadModel(join(tmp.dir, 'unbuilt'));
    expect(loaded.built).toBe(false);
    expect(loaded.layers.length).toBe(2);
    model.dispose();
    loaded.dispose();
  });

  it('saves a plain-function loss by its name; an anonymous one is explained', async () => {
    const model = Sequential([Dense(1, { inputShape: [2] })]);
    model.compile({ loss: (a: Tensor, b: Tensor) => mean(square(sub(a, b)), -1), optimizer: 'sgd' });
    const dir = join(tmp.dir, 'fnloss');
    await expect(saveModel(model, dir)).rejects.toThrow(/compiled loss is an anonymous function.*save\(path, \{ includeOptimizer: false \}\)/);
    await saveModel(model, dir, { includeOptimizer: false });
    const plain = await loadModel(dir);
    expect(plain.isCompiled).toBe(false);
    plain.dispose();
    function myMse(a: Tensor, b: Tensor): Tensor {
      return mean(square(sub(a, b)), -1);
    }
    model.compile({ loss: myMse, optimizer: 'sgd' });
    await saveModel(model, dir);
    await expect(loadModel(dir)).rejects.toThrow(/Unknown loss "myMse".*\{ compile: false \}/);
    registerLoss('myMse', LossFunctionWrapper(myMse));
    try {
      const loaded = await loadModel(dir);
      expect(loaded.isCompiled).toBe(true);
      loaded.dispose();
    } finally {
      lossRegistry.delete('myMse');
    }
    // the plain function itself registers too (two parameters: wrapped under the name)
    registerLoss('myMse', myMse);
    try {
      const loaded = await loadModel(dir);
      expect(loaded.lossFunctions?.[0].loss.name).toBe('myMse');
      loaded.dispose();
    } finally {
      lossRegistry.delete('myMse');
    }
    model.dispose();
  });

  it('a Sequential built from its data or from an added Input records its input shape', async () => {
    setSeed(6);
    const fromData = Sequential([Dense(3, { activation: 'relu' }), Dense(1)]);
    const x = randomNormal([4, 5]);
    const before = predict(fromData, x);
    await saveModel(fromData, join(tmp.dir, 'data'));
    const a = await loadModel(join(tmp.dir, 'data'));
    expect(a.built).toBe(true);
    const after = predict(a, x);
    expect(maxAbsDiff(before, after)).toBeLessThan(1e-6);
    const withInput = Sequential();
    withInput.add(Input({ shape: [5] }));
    withInput.add(Dense(2));
    await saveModel(withInput, join(tmp.dir, 'input'));
    const b = await loadModel(join(tmp.dir, 'input'));
    expect(b.inputs[0].shape).toEqual([null, 5]);
    dispose([x, before, after]);
    for (const m of [fromData, a, withInput, b]) m.dispose();
  });
});
