import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { randomNormal, setSeed, tensor as ourTensor } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Activation, Add, Concatenate, Dense, Dropout, Flatten, Input, LeakyReLU, Maxout, resetNames } from '@neurona/layers';
import { Adam, SGD } from '@neurona/optimizers';
import { Model, Sequential, loadModel, saveModel } from '@neurona/models';
import type { LayersModel } from '@neurona/models';

// Both directions of the TensorFlow.js Layers format, with tfjs-layers 4.22 itself: what neurona
// saves, tf.loadLayersModel reads; what tfjs-layers saves, loadModel reads; the predictions agree
// within 1e-5.

let dir: string;
beforeEach(() => {
  resetNames();
  dir = mkdtempSync(join(tmpdir(), 'neurona-interop-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A tfjs IOHandler that reads a folder the way tfjs's own file and http loaders do. */
function tfjsFolderLoader(folder: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const buffers = manifest.flatMap((g) => g.paths).map((p) => {
          const b = readFileSync(join(folder, p));
          return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
        });
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** A tfjs IOHandler that writes model.json + weights.bin as tfjs's file handler does. */
function tfjsFolderSaver(folder: string): tf.io.IOHandler {
  return {
    save: async (artifacts) => {
      mkdirSync(folder, { recursive: true });
      const data = artifacts.weightData as ArrayBuffer;
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(join(folder, 'model.json'), JSON.stringify(json));
      writeFileSync(join(folder, 'weights.bin'), new Uint8Array(data));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

function values(t: Tensor | tf.Tensor): Float32Array {
  return t.dataSync() as Float32Array;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** The same input for both libraries. */
function input(shape: number[], seed: number): { ours: Tensor; theirs: tf.Tensor } {
  setSeed(seed);
  const ours = randomNormal(shape);
  return { ours, theirs: tf.tensor(Array.from(ours.dataSync()), shape) };
}

function ourPredict(model: LayersModel, x: Tensor | Tensor[]): Float32Array {
  return values(model.predict(x) as Tensor);
}

function tfPredict(model: tfl.LayersModel, x: tf.Tensor | tf.Tensor[]): Float32Array {
  return values(model.predict(x) as tf.Tensor);
}

describe('neurona saves, tfjs-layers loads', () => {
  it('a Sequential model with Flatten, Dense, Dropout and Activation, compiled', async () => {
    const model = Sequential();
    model.add(Flatten({ inputShape: [3, 4] }));
    model.add(Dense(8, { activation: 'relu' }));
    model.add(Dropout(0.3));
    model.add(Dense(5, { activation: 'tanh' }));
    model.add(LeakyReLU());
    model.add(Dense(3));
    model.add(Activation('softmax'));
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD({ learningRate: 0.05, momentum: 0.9 }), metrics: ['accuracy'] });
    await saveModel(model, join(dir, 'ours'));
    const { ours, theirs } = input([6, 3, 4], 1);
    const expected = ourPredict(model, ours);
    const names = model.layers.map((l) => l.name);
    // one tfjs-core engine serves both libraries, and it refuses two live variables of one name
    model.dispose();
    const tfModel = await tfl.loadLayersModel(tfjsFolderLoader(join(dir, 'ours')));
    expect(tfModel.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dropout', 'Dense', 'LeakyReLU', 'Dense', 'Activation']);
    expect(tfModel.layers.map((l) => l.name)).toEqual(names);
    // tfjs compiled it from our training_config
    expect(tfModel.optimizer.getClassName()).toBe('Momentum');
    expect(maxDiff(expected, tfPredict(tfModel, theirs))).toBeLessThan(1e-5);
    tfModel.dispose();
  });

  it('a functional model with two inputs, Concatenate and Add', async () => {
    const a = Input({ shape: [4], name: 'a' });
    const b = Input({ shape: [4], name: 'b' });
    const ha = Dense(4, { activation: 'relu', name: 'ha' })(a);
    const hb = Dense(4, { activation: 'sigmoid', name: 'hb' })(b);
    const joined = Concatenate({ name: 'cat' })([Add({ name: 'sum' })([ha, hb]), ha]);
    const out = Dense(2, { activation: 'softmax', name: 'out' })(joined);
    const model = Model({ inputs: [a, b], outputs: out, name: 'two' });
    model.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.01) });
    await saveModel(model, join(dir, 'fn'));
    const xa = input([5, 4], 2);
    const xb = input([5, 4], 3);
    const expected = ourPredict(model, [xa.ours, xb.ours]);
    model.dispose();
    const tfModel = await tfl.loadLayersModel(tfjsFolderLoader(join(dir, 'fn')));
    expect(tfModel.inputNames).toEqual(['a', 'b']);
    expect(tfModel.optimizer.getClassName()).toBe('Adam');
    expect(maxDiff(expected, tfPredict(tfModel, [xa.theirs, xb.theirs]))).toBeLessThan(1e-5);
    tfModel.dispose();
  });

  it('a layer only neurona has is written as neurona>Maxout, which tfjs refuses by name', async () => {
    const model = Sequential([Maxout(2, { inputShape: [3] })]);
    await saveModel(model, join(dir, 'mx'));
    await expect(tfl.loadLayersModel(tfjsFolderLoader(join(dir, 'mx')))).rejects.toThrow(/neurona>Maxout/);
    model.dispose();
  });
});

describe('tfjs-layers saves, neurona loads', () => {
  it('a Sequential model with Flatten, Dense, Dropout, LeakyReLU (Keras default slope) and Activation', async () => {
    const tfModel = tfl.sequential();
    tfModel.add(tfl.layers.flatten({ inputShape: [2, 3] }));
    tfModel.add(tfl.layers.dense({ units: 6, activation: 'relu' }));
    tfModel.add(tfl.layers.dropout({ rate: 0.5 }));
    tfModel.add(tfl.layers.dense({ units: 4 }));
    tfModel.add(tfl.layers.leakyReLU());
    tfModel.add(tfl.layers.dense({ units: 3 }));
    tfModel.add(tfl.layers.activation({ activation: 'softmax' }));
    tfModel.compile({ loss: 'categoricalCrossentropy', optimizer: tf.train.adam(0.02), metrics: ['accuracy'] });
    await tfModel.save(tfjsFolderSaver(join(dir, 'theirs')), { includeOptimizer: true });
    const model = await loadModel(join(dir, 'theirs'));
    expect(model.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense', 'Dropout', 'Dense', 'LeakyReLU', 'Dense', 'Activation']);
    expect((model.layers[4] as unknown as { alpha: number }).alpha).toBeCloseTo(0.3, 7);
    expect(model.isCompiled).toBe(true);
    expect(model.optimizer?.className).toBe('Adam');
    expect(model.optimizer?.learningRate).toBeCloseTo(0.02, 9);
    const { ours, theirs } = input([7, 2, 3], 4);
    expect(maxDiff(ourPredict(model, ours), tfPredict(tfModel, theirs))).toBeLessThan(1e-5);
    // and it trains
    const y = ourTensor([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0], [7, 3]);
    const h = await model.fit(ours, y, { epochs: 2, verbose: 0 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    tfModel.dispose();
    model.dispose();
  });

  it('a functional model with Concatenate and Add', async () => {
    const i1 = tfl.input({ shape: [3], name: 'left' });
    const i2 = tfl.input({ shape: [3], name: 'right' });
    const d1 = tfl.layers.dense({ units: 3, activation: 'tanh' }).apply(i1) as tfl.SymbolicTensor;
    const sum = tfl.layers.add().apply([d1, i2]) as tfl.SymbolicTensor;
    const cat = tfl.layers.concatenate().apply([sum, i1]) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, activation: 'softmax' }).apply(cat) as tfl.SymbolicTensor;
    const tfModel = tfl.model({ inputs: [i1, i2], outputs: out });
    await tfModel.save(tfjsFolderSaver(join(dir, 'theirs-fn')));
    const model = await loadModel(join(dir, 'theirs-fn'));
    expect(model.kind).toBe('Model');
    expect(model.inputNames).toEqual(['left', 'right']);
    const x1 = input([4, 3], 5);
    const x2 = input([4, 3], 6);
    expect(maxDiff(ourPredict(model, [x1.ours, x2.ours]), tfPredict(tfModel, [x1.theirs, x2.theirs]))).toBeLessThan(1e-5);
    tfModel.dispose();
    model.dispose();
  });

  it('round trip: tfjs → neurona → tfjs keeps the predictions', async () => {
    const tfModel = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [5], units: 4, activation: 'elu' }), tfl.layers.dense({ units: 1, activation: 'sigmoid' })] });
    await tfModel.save(tfjsFolderSaver(join(dir, 'a')));
    const x = input([3, 5], 7);
    const expected = tfPredict(tfModel, x.theirs);
    const model = await loadModel(join(dir, 'a'));
    await saveModel(model, join(dir, 'b'));
    tfModel.dispose();
    model.dispose();
    const back = await tfl.loadLayersModel(tfjsFolderLoader(join(dir, 'b')));
    expect(maxDiff(expected, tfPredict(back, x.theirs))).toBeLessThan(1e-6);
    back.dispose();
  });
});
