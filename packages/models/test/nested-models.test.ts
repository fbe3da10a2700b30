// A Sequential or functional model used as a layer of another model (Keras's transfer learning:
// a frozen base and a new head): weights, trainable, summary, training through the nesting
// (fused steps and hooks), save/load, and the model classes as layers of the registry.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { BatchNormalization, Dense, Dropout, Input, L2, deserializeLayer, resetNames, runLayerTest, serializeLayer } from '@neurona/layers';
import type { BatchNormalizationLayer, Layer } from '@neurona/layers';
import { FunctionalModel, LayersModel, Model, Sequential, SequentialModel, loadModel, modelFromConfig } from '../src/index';
import type { StepData, StepLogs } from '../src/index';
import { maxAbsDiff, tempDir } from './io-helpers';

beforeEach(() => resetNames());
afterEach(() => T.clearSeed());

function data(n = 32, seed = 3): { x: Tensor; y: Tensor } {
  T.setSeed(seed);
  return T.tidy(() => {
    const x = T.randomNormal([n, 6]);
    const labels = T.argMax(T.matMul(x, T.randomNormal([6, 3])), 1);
    return { x, y: T.cast(T.oneHot(labels, 3), 'float32') };
  });
}

/** A small pretrained-style base: Dense, BatchNormalization, Dense (functional). */
function functionalBase(): FunctionalModel {
  const inputs = Input({ shape: [6], name: 'base_in' });
  let h = Dense(8, { activation: 'relu', name: 'base_dense' })(inputs);
  h = BatchNormalization({ name: 'base_bn' })(h);
  h = Dense(5, { activation: 'relu', name: 'base_features' })(h);
  return Model({ inputs, outputs: h, name: 'base' });
}

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

async function snapshot(ws: Tensor[]): Promise<number[][]> {
  return Promise.all(ws.map(values));
}

class HookModel extends FunctionalModel {
  override trainStep(data: StepData): StepLogs {
    return super.trainStep(data);
  }
}

describe('a model used as a layer', () => {
  it('weights, trainable and countParams see through the nesting; the summary shows the model as one row', () => {
    const base = Sequential([Dense(4, { inputShape: [3], name: 'b1' }), Dense(2, { name: 'b2' })]);
    const model = Sequential([base, Dense(1, { name: 'head' })]);
    expect(model.built).toBe(true);
    expect(model.inputs[0].shape).toEqual([null, 3]);
    expect(model.weights.map((w) => w.shape)).toEqual([[3, 4], [4], [4, 2], [2], [2, 1], [1]]);
    expect(model.countParams()).toBe(16 + 10 + 3);
    base.trainable = false;
    expect(base.layers.every((l) => !l.trainable)).toBe(true);
    expect(model.trainableWeights.map((w) => w.shape)).toEqual([[2, 1], [1]]);
    expect(model.nonTrainableWeights).toHaveLength(4);
    const lines: string[] = [];
    model.summary({ printFn: (l) => lines.push(l) });
    expect(lines).toContain(` ${base.name} (Sequential)`.padEnd(29) + '(None, 2)'.padEnd(26) + '26');
    expect(lines).toContain('Total params: 29 (116.00 Byte)');
    expect(lines).toContain('Trainable params: 3 (12.00 Byte)');
    expect(lines).toContain('Non-trainable params: 26 (104.00 Byte)');
    const inputs = Input({ shape: [3] });
    const outer = Model({ inputs, outputs: Dense(1)(base(inputs)), name: 'outer' });
    expect(outer.summary({ printFn: () => undefined })).toMatch(/ sequential(_\d+)? \(Sequential\)\s+\(None, 2\)\s+26\s+\['input_layer(_\d+)?\[0\]\[0\]'\]/);
    model.dispose();
    outer.layers.at(-1)?.dispose();
  });

  for (const kind of ['fused', 'hooks'] as const) {
    it(`${kind}: a frozen base keeps its weights and statistics (BatchNormalization in inference mode) while the head trains`, async () => {
      const { x, y } = data();
      const base = functionalBase();
      base.trainable = false;
      const inputs = Input({ shape: [6] });
      const outputs = Dense(3, { activation: 'softmax', name: 'head' })(Dropout(0.2)(base(inputs, { training: false })));
      const model = kind === 'fused' ? Model({ inputs, outputs }) : new HookModel({ inputs, outputs });
      model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
      const before = await snapshot(base.weights);
      const headBefore = await snapshot(model.getLayer('head').weights);
      const h = await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
      expect(await snapshot(base.weights)).toEqual(before);
      const headAfter = await snapshot(model.getLayer('head').weights);
      expect(headAfter[0]).not.toEqual(headBefore[0]);
      expect(h.history.loss[2]).toBeLessThan(h.history.loss[0]);
      // fine-tuning, as Keras's transfer-learning guide: unfreeze, recompile; the base was called
      // with training: false, so its BatchNormalization stays in inference mode (statistics kept)
      base.trainable = true;
      model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      const after = await snapshot(base.weights);
      expect(after[0]).not.toEqual(before[0]);
      const bn = base.getLayer('base_bn') as BatchNormalizationLayer;
      const statIndex = base.weights.indexOf(bn.movingMean as T.Variable);
      expect(await values(bn.movingMean as Tensor)).toEqual(before[statIndex]);
      // called without training: false, the same base updates its statistics while it trains
      const inputs2 = Input({ shape: [6] });
      const second = Model({ inputs: inputs2, outputs: Dense(3, { activation: 'softmax' })(base(inputs2)) });
      second.compile({ loss: 'categorical_crossentropy', optimizer: 'adam' });
      await second.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      expect(await values(bn.movingMean as Tensor)).not.toEqual(before[statIndex]);
      second.layers.at(-1)?.dispose();
      model.dispose();
      T.dispose([x, y]);
    });
  }

  it('the fused steps and the hooks agree through a nested model, activity penalties of its layers included', async () => {
    const { x, y } = data(16, 7);
    const results: number[][] = [];
    const losses: number[][] = [];
    for (const kind of ['fused', 'hooks'] as const) {
      resetNames();
      T.setSeed(11);
      const inner = Sequential([Dense(4, { inputShape: [6], activation: 'tanh', activityRegularizer: L2(0.1) })]);
      const inputs = Input({ shape: [6] });
      const outputs = Dense(3, { activation: 'softmax' })(inner(inputs));
      const model = kind === 'fused' ? Model({ inputs, outputs }) : new HookModel({ inputs, outputs });
      model.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
      const h = await model.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });
      losses.push(h.history.loss);
      results.push((await snapshot(model.weights)).flat());
      model.dispose();
    }
    expect(losses[1][0]).toBeCloseTo(losses[0][0], 5);
    results[1].forEach((v, i) => expect(v).toBeCloseTo(results[0][i], 5));
    // the penalty is part of the loss: without it the first loss is lower
    resetNames();
    T.setSeed(11);
    const inner = Sequential([Dense(4, { inputShape: [6], activation: 'tanh' })]);
    const inputs = Input({ shape: [6] });
    const plain = Model({ inputs, outputs: Dense(3, { activation: 'softmax' })(inner(inputs)) });
    plain.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd' });
    const h = await plain.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
    expect(losses[0][0]).toBeGreaterThan(h.history.loss[0] + 1e-3);
    plain.dispose();
    T.dispose([x, y]);
  });

  it('one base called twice shares its weights (a siamese pair)', async () => {
    const base = Sequential([Dense(3, { inputShape: [4], name: 'shared' })]);
    const a = Input({ shape: [4] });
    const b = Input({ shape: [4] });
    const twice = Model({ inputs: [a, b], outputs: [base(a), base(b)] });
    expect(twice.weights).toHaveLength(2);
    const x = T.ones([2, 4]);
    const [ya, yb] = twice.predict([x, x]) as Tensor[];
    expect(maxAbsDiff(ya, yb)).toBe(0);
    T.dispose([x, ya, yb]);
    twice.dispose();
  });
});

describe('saving and loading nested models', () => {
  it('neurona format: the same outputs and nested structure, optimizer state restored, training continues identically', async () => {
    const { x, y } = data();
    const { dir, cleanup } = tempDir();
    try {
      const base = functionalBase();
      base.trainable = false;
      const model = Sequential({ layers: [base, Dense(3, { activation: 'softmax', name: 'head' })], name: 'transfer' });
      model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
      await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
      await model.save(`${dir}/m`);
      const loaded = await loadModel(`${dir}/m`);
      expect(loaded.kind).toBe('Sequential');
      const nested = loaded.layers[0];
      expect(nested).toBeInstanceOf(FunctionalModel);
      expect((nested as LayersModel).layers.map((l) => l.name)).toEqual(['base_in', 'base_dense', 'base_bn', 'base_features']);
      expect(nested.trainable).toBe(false);
      expect(loaded.trainableWeights.map((w) => w.shape)).toEqual([[5, 3], [3]]);
      const p1 = model.predict(x);
      const p2 = loaded.predict(x) as Tensor;
      expect(maxAbsDiff(p1, p2)).toBeLessThan(1e-6);
      // the optimizer continues from the same state: one more epoch gives the same weights
      await model.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
      await loaded.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
      const [w1, w2] = [model.getWeights(), loaded.getWeights()];
      w1.forEach((w, i) => expect(maxAbsDiff(w, w2[i])).toBeLessThan(1e-5));
      T.dispose([p1, p2, ...w1, ...w2]);
      model.dispose();
      loaded.dispose();
    } finally {
      cleanup();
      T.dispose([x, y]);
    }
  });

  it('a functional model nested in a functional model, saved and loaded; weights named after the nested model', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const base = functionalBase();
      const inputs = Input({ shape: [6], name: 'img' });
      const outputs = Dense(2, { name: 'head' })(base(inputs));
      const model = Model({ inputs, outputs, name: 'outer' });
      const x = T.randomNormal([5, 6], 0, 1, 'float32', 1);
      await model.save(`${dir}/f`);
      const { readFileSync } = await import('node:fs');
      const json = JSON.parse(readFileSync(`${dir}/f/model.json`, 'utf8')) as {
        modelTopology: { config: { layers: { class_name: string; name: string; config: { layers?: unknown[] } }[] } };
        weightsManifest: { weights: { name: string }[] }[];
      };
      const entry = json.modelTopology.config.layers.find((l) => l.name === 'base');
      expect(entry?.class_name).toBe('Model');
      expect(entry?.config.layers).toHaveLength(4);
      expect(json.weightsManifest[0].weights.map((w) => w.name)).toContain('base/base_bn/moving_mean');
      const loaded = await loadModel(`${dir}/f`);
      const [a, b] = [model.predict(x), loaded.predict(x) as Tensor];
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-6);
      T.dispose([x, a, b]);
      model.dispose();
      loaded.dispose();
    } finally {
      cleanup();
    }
  });

  it('getConfig and deserializeLayer rebuild both kinds, and models pass runLayerTest as layers', async () => {
    const seq = Sequential([Dense(3, { inputShape: [4], name: 'd1' }), BatchNormalization({ name: 'bn' }), Dense(2, { name: 'd2' })]);
    const config = seq.getConfig();
    expect(config.layers.map((l) => l.className)).toEqual(['Dense', 'BatchNormalization', 'Dense']);
    expect(config.layers[0].config.batchInputShape).toEqual([null, 4]);
    const back = deserializeLayer(serializeLayer(seq)) as SequentialModel;
    expect(back).toBeInstanceOf(SequentialModel);
    expect(back.layers.map((l) => l.name)).toEqual(['d1', 'bn', 'd2']);
    const fn = functionalBase();
    const fnBack = modelFromConfig('Functional', fn.getConfig());
    expect(fnBack.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'BatchNormalization', 'Dense']);
    for (const m of [seq, back, fn, fnBack]) m.dispose();

    resetNames();
    T.setSeed(20);
    const asLayer = (className: string) => ({ className, fromConfig: (c: Record<string, unknown>) => modelFromConfig(className, c) as unknown as Layer });
    const seqConfig = Sequential([Dense(3, { inputShape: [4], activation: 'tanh' }), Dense(2)]);
    await runLayerTest({ layer: asLayer('Sequential'), config: seqConfig.getConfig(), inputShape: [2, 4], expectedOutputShape: [2, 2], expectedTrainableWeights: 4 });
    seqConfig.dispose();
    // smooth activations and seeded weights: the finite differences probe no ReLU kink
    T.setSeed(21);
    const fin = Input({ shape: [6] });
    const fnConfig = Model({ inputs: fin, outputs: Dense(5, { activation: 'tanh' })(BatchNormalization()(Dense(8, { activation: 'tanh' })(fin))) });
    await runLayerTest({ layer: asLayer('Functional'), config: fnConfig.getConfig(), inputShape: [3, 6], expectedOutputShape: [3, 5], expectedTrainableWeights: 6, expectedNonTrainableWeights: 2 });
    fnConfig.dispose();
  });
});

describe('nested models in hostile files', () => {
  it('a nested layer asking for more weights than the file holds, and nesting too deep, are refused with nothing left allocated', async () => {
    const { dir, cleanup } = tempDir();
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { ModelFileError } = await import('../src/index');
    try {
      const base = Sequential([Dense(3, { inputShape: [4], name: 'inner' })]);
      const model = Sequential([base, Dense(2, { name: 'head' })]);
      await model.save(`${dir}/h`);
      model.dispose();
      const path = `${dir}/h/model.json`;
      const original = readFileSync(path, 'utf8');
      const rejects = async (edit: (j: { modelTopology: { config: { layers: Record<string, unknown>[] } } }) => void, pattern: RegExp): Promise<void> => {
        const j = JSON.parse(original) as { modelTopology: { config: { layers: Record<string, unknown>[] } } };
        edit(j);
        writeFileSync(path, JSON.stringify(j));
        const before = T.memory().numTensors;
        const error = await loadModel(`${dir}/h`).then(
          (m) => {
            m.dispose();
            return null;
          },
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ModelFileError);
        expect((error as Error).message).toMatch(pattern);
        expect(T.memory().numTensors).toBe(before);
      };
      await rejects((j) => {
        const nested = j.modelTopology.config.layers[0] as { config: { layers: { config: { units: number } }[] } };
        nested.config.layers[0].config.units = 1e8;
      }, /layer "inner" would create weight "kernel" of shape \[4, 100000000\]/);
      await rejects((j) => {
        let entry: Record<string, unknown> = j.modelTopology.config.layers[0];
        for (let i = 0; i < 17; i++) entry = { class_name: 'Sequential', config: { name: `n${i}`, layers: [entry] } };
        j.modelTopology.config.layers[0] = entry;
      }, /models nested more than 16 deep/);
    } finally {
      cleanup();
    }
  });
});
