import { describe, expect, it } from 'vitest';
import { trainValTestSplit } from '@neurona/data-split';
import { loadMnist } from '@neurona/datasets';
import { dispose, memory } from '@neurona/tensor';
import { buildModel, buildModelAsync, CNN_FILTERS, isModelKind, MODEL_KINDS, predictProbabilities, trainModel, TRAINING_DEFAULTS } from '../src/index';

describe('buildModel', () => {
  it('builds the perceptron of the course: Flatten, Dense(10, softmax), SGD(0.01)', () => {
    const model = buildModel('perceptron');
    expect(model.layers.map((l) => l.className)).toEqual(['Flatten', 'Dense']);
    expect(model.layers[1].getConfig()).toMatchObject({ units: 10, activation: 'softmax' });
    expect(model.countParams()).toBe(784 * 10 + 10);
    expect(model.optimizer?.className).toBe('SGD');
    expect(model.optimizer?.learningRate).toBeCloseTo(0.01);
    // a loss object, not a name: a page's bundle then carries no loss registry
    const loss = model.compileConfig?.loss as { className: string; getConfig(): Record<string, unknown> };
    expect(loss.className).toBe('CategoricalCrossentropy');
    expect(loss.getConfig()).toMatchObject({ fromLogits: false, labelSmoothing: 0 });
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

  it('builds the CNN: Reshape to [28, 28, 1], Keras\'s convnet at 8 and 16 filters, Adam(0.005)', () => {
    const model = buildModel('cnn');
    expect(model.layers.map((l) => l.className)).toEqual(['Reshape', 'Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dropout', 'Dense']);
    expect(model.layers[0].getConfig()).toMatchObject({ targetShape: [28, 28, 1] });
    expect(model.layers[1].getConfig()).toMatchObject({ filters: 8, kernelSize: [3, 3], activation: 'relu' });
    expect(model.layers[3].getConfig()).toMatchObject({ filters: 16, kernelSize: [3, 3], activation: 'relu' });
    expect(model.layers[6].getConfig()).toMatchObject({ rate: 0.5 });
    expect(model.outputShape).toEqual([null, 10]);
    // conv 3·3·1·8 + 8, conv 3·3·8·16 + 16, dense (5·5·16)·10 + 10
    expect(model.countParams()).toBe(80 + 1168 + 4010);
    expect(model.optimizer?.className).toBe('Adam');
    expect(model.optimizer?.learningRate).toBeCloseTo(0.005);
    model.dispose();
  });

  it('builds Keras\'s full-width convnet with filters [32, 64]', () => {
    const model = buildModel('cnn', { filters: [32, 64] });
    expect(model.layers[1].getConfig().filters).toBe(32);
    expect(model.layers[3].getConfig().filters).toBe(64);
    // Keras's "Simple MNIST convnet": 34,826 parameters
    expect(model.countParams()).toBe(34_826);
    expect(CNN_FILTERS).toEqual([8, 16]);
    model.dispose();
  });

  it('rejects bad filters, and filters for a model without convolutions', () => {
    expect(() => buildModel('cnn', { filters: [8, 0] })).toThrow('buildModel: filters must be two positive integers, got [8,0]');
    expect(() => buildModel('cnn', { filters: [8] as unknown as [number, number] })).toThrow(/two positive integers, got \[8\]/);
    expect(() => buildModel('mlp', { filters: [8, 16] })).toThrow(`buildModel: filters apply to the 'cnn' kind only, got kind "mlp"`);
  });

  it('rejects an unknown kind with the known ones', () => {
    expect(isModelKind('cnn')).toBe(true);
    expect(isModelKind('resnet')).toBe(false);
    expect(MODEL_KINDS).toEqual(['perceptron', 'mlp', 'cnn']);
    expect(() => buildModel('resnet' as 'mlp')).toThrow(/perceptron, mlp, cnn.*"resnet"/);
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

describe('buildModelAsync', () => {
  it('builds the same model as buildModel for every kind: layers, configs, optimizer, seeded weights', async () => {
    for (const kind of MODEL_KINDS) {
      const n = memory().numTensors;
      const [sync, lazy] = [buildModel(kind, { seed: 3 }), await buildModelAsync(kind, { seed: 3 })];
      // the same configs but for the auto-generated names (dense_1, dense_2...)
      const layers = (m: typeof sync) => m.layers.map((l) => [l.className, { ...l.getConfig(), name: undefined }]);
      expect(layers(lazy)).toEqual(layers(sync));
      expect(lazy.optimizer?.getConfig()).toEqual(sync.optimizer?.getConfig());
      const compiled = (m: typeof sync) => {
        const loss = m.compileConfig?.loss as { className: string; getConfig(): Record<string, unknown> };
        return { loss: [loss.className, loss.getConfig()], metrics: m.compileConfig?.metrics };
      };
      expect(compiled(lazy)).toEqual(compiled(sync));
      const [ws, wl] = [sync.getWeights(), lazy.getWeights()];
      expect(wl.map((w) => Array.from(w.dataSync()))).toEqual(ws.map((w) => Array.from(w.dataSync())));
      dispose([...ws, ...wl]);
      sync.dispose();
      lazy.dispose();
      expect(memory().numTensors).toBe(n);
    }
  });

  it('rejects what buildModel rejects, naming itself', async () => {
    await expect(buildModelAsync('resnet' as 'mlp')).rejects.toThrow(/buildModelAsync: kind must be one of perceptron, mlp, cnn, got "resnet"/);
    await expect(buildModelAsync('mlp', { filters: [8, 16] })).rejects.toThrow(`buildModelAsync: filters apply to the 'cnn' kind only, got kind "mlp"`);
    await expect(buildModelAsync('cnn', { filters: [8, 0] })).rejects.toThrow('buildModelAsync: filters must be two positive integers, got [8,0]');
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

  it('trains the CNN on 300 digits above chance, without leaks', async () => {
    const { x, y } = await loadMnist({ limit: 300 });
    const split = trainValTestSplit(x, y, { valSize: 0.1, testSize: 0.2, stratify: true, seed: 42 });
    dispose([x, y]);
    const model = buildModel('cnn', { seed: 42 });
    const alive: number[] = [];
    const H = await trainModel(model, 'cnn', split, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [{ onEpochEnd: () => void alive.push(memory().numTensors) }] });
    expect(new Set(alive).size, `tensors alive after each epoch: ${alive.join(', ')}`).toBe(1);
    // 30 validation digits, chance 0.1; this run reaches 0.567 then 0.667 on wasm
    expect(H.history.val_accuracy[0]).toBeGreaterThan(0.3);
    expect(H.history.loss[1]).toBeLessThan(H.history.loss[0]);
    const before = memory().numTensors;
    const probs = predictProbabilities(model, split.xTest);
    expect(probs.shape).toEqual([60, 10]);
    probs.dispose();
    expect(memory().numTensors).toBe(before);
    dispose([split.xTrain, split.yTrain, split.xVal, split.yVal, split.xTest, split.yTest]);
    model.dispose();
  }, 120_000);

  it('uses the course batch size for the perceptron by default', () => {
    expect(TRAINING_DEFAULTS.perceptron.batchSize).toBe(128);
  });
});
