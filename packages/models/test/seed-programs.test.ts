import { describe, expect, it } from 'vitest';
import { memory, setSeed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Dense, Flatten, Input } from '@neurona/layers';
import { SGD } from '@neurona/optimizers';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { memoryWriter } from '../src/writer';
import { syntheticMnist } from './helpers';

// The seed's two programs, line by line (lr and epochs chosen for a small synthetic set).
describe("the seed's programs", () => {
  const lr = 0.05;
  const nEpochs = 5;
  const batchSize = 64;

  it('Sequential perceptron learns (loss falls, accuracy well above chance)', async () => {
    const { x: xTr, y: yTr } = syntheticMnist(1500, 1);
    const { x: xVal, y: yVal } = syntheticMnist(300, 1);
    setSeed(7);
    const model = Sequential();
    model.add(Flatten());
    model.add(Dense(10, { inputShape: [784], activation: 'softmax' }));
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
    const H = await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize, verbose: 0 });
    expect(Object.keys(H.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    const loss = H.history.loss;
    expect(loss).toHaveLength(nEpochs);
    expect(loss[nEpochs - 1]).toBeLessThan(loss[0]);
    expect(H.history.accuracy[nEpochs - 1]).toBeGreaterThan(0.3);
    const predictions = model.predict(xVal, { batchSize }) as Tensor;
    expect(predictions.shape).toEqual([300, 10]);
    const acc = (await predictions.argMax(1).equal(yVal.argMax(1)).mean().data())[0];
    expect(acc).toBeGreaterThan(0.3);
    expect(H.epoch).toEqual([0, 1, 2, 3, 4]);
    expect(H.params).toMatchObject({ epochs: nEpochs, steps: Math.ceil(1500 / batchSize), batchSize, samples: 1500 });
  });

  it('Functional perceptron learns the same way', async () => {
    const { x: xTr, y: yTr } = syntheticMnist(1500, 1);
    const { x: xVal, y: yVal } = syntheticMnist(300, 1);
    setSeed(7);
    const inputs = Input({ shape: [28, 28] });
    let x = Flatten({ inputShape: [784] })(inputs);
    x = Dense(10, { activation: 'softmax' })(x);
    const model = Model({ inputs, outputs: x });
    model.compile({ loss: 'categorical_crossentropy', optimizer: SGD(lr), metrics: ['accuracy'] });
    const out = memoryWriter();
    const H = await model.fit(xTr, yTr, { validationData: [xVal, yVal], epochs: nEpochs, batchSize, writer: out });
    expect(H.history.loss[nEpochs - 1]).toBeLessThan(H.history.loss[0]);
    expect(H.history.val_accuracy[nEpochs - 1]).toBeGreaterThan(0.3);
    const prediction = model.predict(xVal, { batchSize }) as Tensor;
    expect(prediction.shape).toEqual([300, 10]);
    expect(out.lines().filter((l) => l.startsWith('Epoch '))).toHaveLength(nEpochs);
  });

  it('leaves no tensors behind', async () => {
    const { x, y } = syntheticMnist(256, 3);
    const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
    model.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
    const counts: number[] = [];
    await model.fit(x, y, {
      epochs: 4,
      batchSize: 32,
      verbose: 0,
      validationSplit: 0.25,
      callbacks: [{ onEpochEnd: () => void counts.push(memory().numTensors) }],
    });
    expect(new Set(counts).size).toBe(1);
    const before = memory().numTensors;
    (model.predict(x, { batchSize: 100 }) as Tensor).dispose();
    expect(memory().numTensors).toBe(before);
    await model.evaluate(x, y, { batchSize: 100 });
    expect(memory().numTensors).toBe(before);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(memory().numTensors).toBe(before);
  });
});
