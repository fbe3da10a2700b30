import { beforeEach, describe, expect, it } from 'vitest';
import { mean, memory, ones, randomNormal, setSeed, square, sub, tensor2d, zeros } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Dropout, Flatten, Input, resetNames } from '@neurona/layers';
import { MeanSquaredError } from '@neurona/losses';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { linearData, syntheticMnist } from './helpers';

beforeEach(() => resetNames());

describe('summary', () => {
  it('prints the Keras table for the seed perceptron and returns it', () => {
    const model = Sequential({ name: 'sequential' });
    model.add(Flatten({ inputShape: [28, 28] }));
    model.add(Dense(10, { activation: 'softmax' }));
    const lines: string[] = [];
    const text = model.summary({ printFn: (l) => lines.push(l) });
    expect(text).toBe(lines.join('\n'));
    expect(lines).toEqual([
      'Model: "sequential"',
      '_'.repeat(65),
      ' Layer (type)                Output Shape              Param #',
      '='.repeat(65),
      ' flatten (Flatten)           (None, 784)               0',
      '',
      ' dense (Dense)               (None, 10)                7850',
      '',
      '='.repeat(65),
      'Total params: 7,850 (30.66 KB)',
      'Trainable params: 7,850 (30.66 KB)',
      'Non-trainable params: 0 (0.00 Byte)',
      '_'.repeat(65),
    ]);
  });

  it('shows input layers and connections for functional models, and frozen weights', () => {
    const inputs = Input({ shape: [28, 28], name: 'pixels' });
    const h = Flatten()(inputs);
    const frozen = Dense(32, { activation: 'relu' });
    const out = Dense(10, { activation: 'softmax' })(frozen(h));
    frozen.trainable = false;
    const model = Model({ inputs, outputs: out, name: 'mnist' });
    const text = model.summary({ printFn: () => {} });
    expect(text).toContain('Model: "mnist"');
    expect(text).toMatch(/ pixels \(InputLayer\)\s+\[\(None, 28, 28\)\]\s+0\s+\[\]/);
    expect(text).toMatch(/ dense \(Dense\)\s+\(None, 32\)\s+25120\s+\['flatten\[0\]\[0\]'\]/);
    expect(text).toContain('Total params: 25,450 (99.41 KB)');
    expect(text).toContain('Trainable params: 330 (1.29 KB)');
    expect(text).toContain('Non-trainable params: 25,120 (98.12 KB)');
  });
});

describe('layers-like model API', () => {
  it('layers, getLayer, weights, countParams, getWeights/setWeights', async () => {
    const model = Sequential([Flatten({ inputShape: [2, 2] }), Dense(3), Dense(1)]);
    expect(model.layers.map((l) => l.name)).toEqual(['flatten', 'dense', 'dense_1']);
    expect(model.getLayer('dense_1')).toBe(model.layers[2]);
    expect(model.getLayer(1)).toBe(model.layers[1]);
    expect(() => model.getLayer('nope')).toThrow(/has no layer "nope"; its layers are "flatten", "dense", "dense_1"/);
    expect(model.weights.map((w) => w.shape)).toEqual([[4, 3], [3], [3, 1], [1]]);
    expect(model.trainableWeights).toHaveLength(4);
    expect(model.countParams()).toBe(4 * 3 + 3 + 3 + 1);
    const before = memory().numTensors;
    const ws = model.getWeights();
    expect(memory().numTensors).toBe(before + 4);
    model.setWeights(ws.map((w) => zeros(w.shape)));
    expect(Array.from(await model.getWeights()[0].data())).toEqual(Array.from({ length: 12 }, () => 0));
    expect(() => model.setWeights(ws.slice(1))).toThrow(/setWeights: Sequential "sequential(_\d+)?" has 4 weights, got 3/);
    expect(() => model.setWeights([zeros([3, 4]), ...ws.slice(1)])).toThrow(/weight 0 \(".*kernel.*"\) has shape \[4, 3\], got \[3, 4\]/);
    model.layers[1].trainable = false;
    expect(model.trainableWeights).toHaveLength(2);
    expect(model.nonTrainableWeights).toHaveLength(2);
  });

  it('a Sequential without an input shape builds from the first data, like Keras', async () => {
    const model = Sequential();
    model.add(Flatten());
    model.add(Dense(10, { inputShape: [784], activation: 'softmax' })); // ignored: not the first layer
    expect(model.built).toBe(false);
    const p = model.predict(zeros([3, 28, 28])) as Tensor;
    expect(model.built).toBe(true);
    expect(model.inputs[0].shape).toEqual([null, 28, 28]);
    expect(p.shape).toEqual([3, 10]);
    expect(() => model.predict(zeros([3, 784]))).toThrow(/Flatten "flatten" expects input \[null, 28, 28\], got x of shape \[3, 784\]/);
  });

  it('Sequential accepts add(Input(...)), build(), pop()', () => {
    const a = Sequential();
    a.add(Input({ shape: [5] }));
    a.add(Dense(2));
    expect(a.built).toBe(true);
    expect(a.outputs[0].shape).toEqual([null, 2]);
    const b = Sequential([Dense(4), Dense(2)]);
    b.build([null, 3]);
    expect(b.countParams()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(() => b.build([null, 5])).toThrow(/already built for input \[null, 3\], got build\(\[null, 5\]\)/);
    const last = b.pop();
    expect(last.name).toBe('dense_2');
    expect(b.outputs[0].shape).toEqual([null, 4]);
    b.add(Dense(7));
    expect(b.outputs[0].shape).toEqual([null, 7]);
    expect(() => b.add(b.layers[0])).toThrow(/is already in the model/);
  });

  it('getConfig describes the graph', () => {
    const inputs = Input({ shape: [3], name: 'in' });
    const model = Model({ inputs, outputs: Dense(2, { name: 'out' })(inputs), name: 'm' });
    const cfg = model.getConfig();
    expect(cfg.name).toBe('m');
    expect(cfg.inputLayers).toEqual([['in', 0, 0]]);
    expect(cfg.outputLayers).toEqual([['out', 0, 0]]);
    expect(cfg.layers.map((l) => [l.className, l.name])).toEqual([['InputLayer', 'in'], ['Dense', 'out']]);
    expect(cfg.layers[1].inboundNodes).toEqual([[['in', 0, 0, {}]]]);
    expect(JSON.parse(JSON.stringify(cfg))).toEqual(cfg);
  });

  it('dispose releases weights and optimizer state', async () => {
    const { x, y } = linearData(16);
    const before = memory().numTensors;
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'adam' });
    await model.fit(x, y, { verbose: 0 });
    model.dispose();
    expect(memory().numTensors).toBe(before);
    expect(() => model.predict(x)).toThrow(/was disposed/);
  });
});

describe('compile, evaluate, predict, trainOnBatch', () => {
  it('accepts Keras names, camelCase names, objects and functions; rmsprop by default', async () => {
    const { x, y } = linearData(32);
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mean_absolute_error' });
    expect(model.optimizer?.className).toBe('RMSprop');
    model.compile({ loss: 'meanSquaredError', optimizer: 'adam', metrics: ['mae', 'meanSquaredError'] });
    let H = await model.fit(x, y, { verbose: 0 });
    expect(Object.keys(H.history)).toEqual(['loss', 'mae', 'meanSquaredError']);
    model.compile({ loss: MeanSquaredError(), optimizer: SGD(0.01), metrics: [(t: Tensor, p: Tensor) => mean(square(sub(t, p)))] });
    H = await model.fit(x, y, { verbose: 0 });
    expect(H.history.loss[0]).toBeCloseTo(Object.values(H.history)[1][0], 5);
  });

  it('evaluate returns the loss alone, [loss, ...metrics], or a dict', async () => {
    const { x, y } = linearData(50);
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const loss = await model.evaluate(x, y, { batchSize: 7 });
    expect(typeof loss).toBe('number');
    const direct = (await mean(square(sub(y, model.predict(x) as Tensor))).data())[0];
    expect(loss as number).toBeCloseTo(direct, 5);
    model.compile({ loss: 'mse', optimizer: 'sgd', metrics: ['mae'] });
    expect(await model.evaluate(x, y)).toHaveLength(2);
    expect(Object.keys((await model.evaluate(x, y, { returnDict: true })) as object)).toEqual(['loss', 'mae']);
  });

  it('predict in batches equals one big batch; predictOnBatch; testOnBatch; trainOnBatch', async () => {
    const { x, y } = syntheticMnist(70, 2);
    const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0.1), metrics: ['accuracy'] });
    const a = model.predict(x, { batchSize: 8 }) as Tensor;
    const b = model.predictOnBatch(x) as Tensor;
    const da = await a.data();
    const db = await b.data();
    for (let i = 0; i < da.length; i++) expect(da[i]).toBeCloseTo(db[i], 6);
    const test = (await model.testOnBatch(x, y)) as number[];
    const ev = (await model.evaluate(x, y, { batchSize: 70 })) as number[];
    expect(test[0]).toBeCloseTo(ev[0], 5);
    const first = (await model.trainOnBatch(x, y)) as number[];
    expect(first[0]).toBeCloseTo(test[0], 5);
    const second = (await model.trainOnBatch(x, y)) as number[];
    expect(second[0]).toBeLessThan(first[0]);
    expect(model.optimizer?.iterations).toBe(2);
  });

  it('validationSplit holds out the last samples, as Keras', async () => {
    setSeed(5);
    const x = randomNormal([10, 2]);
    const y = tensor2d([[0], [0], [0], [0], [0], [0], [0], [0], [100], [100]]);
    const model = Sequential([Dense(1, { inputShape: [2], kernelInitializer: 'zeros' })]);
    model.compile({ loss: 'mae', optimizer: SGD(0) });
    const H = await model.fit(x, y, { validationSplit: 0.2, verbose: 0 });
    expect(H.history.loss[0]).toBeCloseTo(0);
    expect(H.history.val_loss[0]).toBeCloseTo(100);
  });

  it('classWeight weights the loss per class', async () => {
    const x = ones([4, 1]);
    const y = tensor2d([[1, 0], [1, 0], [0, 1], [0, 1]]);
    const model = Sequential([Dense(2, { inputShape: [1], activation: 'softmax', kernelInitializer: 'zeros' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(0) });
    const plain = await model.fit(x, y, { verbose: 0, shuffle: false });
    const weighted = await model.fit(x, y, { verbose: 0, shuffle: false, classWeight: { 0: 3, 1: 1 } });
    // uniform predictions: every sample's loss is ln 2; weights 3,3,1,1 over 4 samples → 2 ln 2
    expect(plain.history.loss[0]).toBeCloseTo(Math.log(2), 5);
    expect(weighted.history.loss[0]).toBeCloseTo(2 * Math.log(2), 5);
  });

  it('initialEpoch resumes the epoch count; Dropout models still leak nothing', async () => {
    const { x, y } = linearData(32);
    const model = Sequential([Dense(8, { inputShape: [3], activation: 'relu' }), Dropout(0.3), Dense(1)]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    await model.fit(x, y, { verbose: 0 });
    const before = memory().numTensors;
    const H = await model.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(H.epoch).toEqual([3, 4]);
    expect(memory().numTensors).toBe(before);
  });
});
