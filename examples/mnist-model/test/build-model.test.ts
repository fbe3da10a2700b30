import { describe, expect, it } from 'vitest';
import { trainValTestSplit } from '@neurona/data-split';
import { loadMnist } from '@neurona/datasets';
import { dispose, memory } from '@neurona/tensor';
import { buildModel, isModelKind, predictProbabilities, trainModel, TRAINING_DEFAULTS } from '../src/index';

describe('buildModel', () => {
  it('builds the perceptron of the course: Flatten, Dense(10, softmax), SGD(0.01)', () => {
    const model = buildModel('perceptron');
    expect(model.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense']);
    expect(model.layers[1].getConfig()).toMatchObject({ units: 10, activation: 'softmax' });
    expect(model.countParams()).toBe(784 * 10 + 10);
    expect(model.optimizer?.className).toBe('SGD');
    expect(model.optimizer?.learningRate).toBeCloseTo(0.01);
    expect(model.compileConfig?.loss).toBe('categorical_crossentropy');
    model.dispose();
  });

  it('builds the MLP: Flatten, Dense(128, relu), Dense(10, softmax), Adam', () => {
    const model = buildModel('mlp', { learningRate: 0.002 });
    expect(model.layers.map((l) => [l.className, l.getConfig().units, l.getConfig().activation])).toEqual([
      ['Flatten', undefined, undefined],
      ['Dense', 128, 'relu'],
      ['Dense', 10, 'softmax'],
    ]);
    expect(model.countParams()).toBe(784 * 128 + 128 + 128 * 10 + 10);
    expect(model.optimizer?.className).toBe('Adam');
    expect(model.optimizer?.learningRate).toBeCloseTo(0.002);
    model.dispose();
  });

  it('rejects an unknown kind with the known ones', () => {
    expect(isModelKind('cnn')).toBe(false);
    expect(() => buildModel('cnn' as 'mlp')).toThrow(/perceptron, mlp.*"cnn"/);
  });

  it('starts from the same weights for the same seed', () => {
    const [a, b] = [buildModel('perceptron', { seed: 7 }), buildModel('perceptron', { seed: 7 })];
    const [wa, wb] = [a.getWeights(), b.getWeights()];
    expect(Array.from(wa[0].dataSync())).toEqual(Array.from(wb[0].dataSync()));
    dispose([...wa, ...wb]);
    a.dispose();
    b.dispose();
  });
});

describe('trainModel', () => {
  it('trains the MLP on 1,000 digits to a useful validation accuracy, with Keras history keys', async () => {
    const { x, y } = await loadMnist({ limit: 1000 });
    const split = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
    dispose([x, y]);
    const model = buildModel('mlp', { seed: 1 });
    const seen: number[] = [];
    const alive: number[] = [];
    const H = await trainModel(model, 'mlp', split, {
      epochs: 3,
      verbose: 0,
      callbacks: [{ onEpochEnd: (e) => void (seen.push(e), alive.push(memory().numTensors)) }],
    });
    expect(seen).toEqual([0, 1, 2]);
    // No leak: the same tensors are alive after every epoch (optimizer slots appear in the first)
    expect(new Set(alive).size, `tensors alive after each epoch: ${alive.join(', ')}`).toBe(1);
    expect(Object.keys(H.history)).toEqual(['loss', 'accuracy', 'val_loss', 'val_accuracy']);
    expect(H.history.val_accuracy[2]).toBeGreaterThan(0.75);
    expect(H.history.loss[2]).toBeLessThan(H.history.loss[0]);
    const probs = predictProbabilities(model, split.xTest);
    expect(probs.shape).toEqual([200, 10]);
    const sums = (await probs.sum(1).data()) as Float32Array;
    for (const s of sums) expect(s).toBeCloseTo(1, 4);
    dispose([probs, split.xTrain, split.yTrain, split.xVal, split.yVal, split.xTest, split.yTest]);
    model.dispose();
  });

  it('uses the course batch size for the perceptron by default', () => {
    expect(TRAINING_DEFAULTS.perceptron.batchSize).toBe(128);
  });
});
