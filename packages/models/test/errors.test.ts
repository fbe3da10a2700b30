import { describe, expect, it } from 'vitest';
import { memory, oneHot, ones, tensor1d, tensor2d, zeros } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { Concatenate, Dense, Flatten, Input } from '@neurona/layers';
import { EarlyStopping } from '../src/callbacks/early-stopping';
import { Sequential } from '../src/sequential';
import { Model } from '../src/functional';
import { syntheticMnist } from './helpers';

function perceptron(compile = true) {
  const model = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
  if (compile) model.compile({ loss: 'categorical_crossentropy', optimizer: 'sgd', metrics: ['accuracy'] });
  return model;
}

// Every bad input has its own message, thrown before any kernel runs (tensor count unchanged).
async function rejects<M>(model: M, p: (m: M) => Promise<unknown>, message: RegExp): Promise<void> {
  const before = memory().numTensors;
  await expect(p(model)).rejects.toThrow(message);
  expect(memory().numTensors).toBe(before);
}

describe('errors before any kernel runs', () => {
  const { x, y, labels } = syntheticMnist(64, 5);

  it('fit before compile', async () => {
    await rejects(perceptron(false), (model_) => model_.fit(x, y), /must be compiled first: call model\.compile\(\{ loss, optimizer, metrics \}\) before fit/);
    await rejects(perceptron(false), (model_) => model_.evaluate(x, y), /must be compiled first/);
  });

  it('x/y length mismatch', async () => {
    const y2 = y.slice(0, 60);
    await rejects(perceptron(), (model_) => model_.fit(x, y2, { verbose: 0 }), /x has 64 samples but y has 60/);
  });

  it('integer labels with categorical cross-entropy', async () => {
    await rejects(
      perceptron(),
      (model_) => model_.fit(x, labels, { verbose: 0 }),
      /expects one-hot labels of shape \[64, 10\].*got y of shape|y has shape \[64\]: integer class labels\. Use loss: 'sparse_categorical_crossentropy', or one-hot encode y/,
    );
    const column = labels.reshape([64, 1]);
    await rejects(perceptron(), (model_) => model_.fit(x, column, { verbose: 0 }), /integer class labels.*sparse_categorical_crossentropy/);
  });

  it('more classes in y than output units', async () => {
    const y12 = oneHot(tensor1d(Array.from({ length: 64 }, (_, i) => i % 12), 'int32'), 12);
    await rejects(perceptron(), (model_) => model_.fit(x, y12, { verbose: 0 }), /y has 12 classes \(columns\) but the output layer "dense(_\d+)?" has only 10 units/);
    const sparse = Sequential([Flatten({ inputShape: [28, 28] }), Dense(10, { activation: 'softmax' })]);
    sparse.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
    const big = tensor1d(Array.from({ length: 64 }, (_, i) => i % 12));
    await rejects(sparse, (model_) => model_.fit(x, big, { verbose: 0 }), /class labels from 0 to 11 but the output layer "dense(_\d+)?" has 10 units \(more classes in y than output units/);
  });

  it('y width different from output units', async () => {
    const y8 = zeros([64, 8]);
    await rejects(perceptron(), (model_) => model_.fit(x, y8, { verbose: 0 }), /y has 8 columns but the output layer "dense(_\d+)?" has 10 units/);
    const reg = Sequential([Dense(2, { inputShape: [3] })]);
    reg.compile({ loss: 'mse', optimizer: 'sgd' });
    const o43 = ones([4, 3]);
    await rejects(reg, (model_) => model_.fit(o43, o43, { verbose: 0 }), /y has shape \[4, 3\] but output "dense(_\d+)?" gives \[null, 2\] \(loss "mean_squared_error"\): y has 3 columns but the output layer "dense(_\d+)?" has only 2 units\./);
  });

  it('one-hot labels with the sparse loss', async () => {
    const model = perceptron(false);
    model.compile({ loss: 'sparse_categorical_crossentropy', optimizer: 'sgd' });
    await rejects(model, (model_) => model_.fit(x, y, { verbose: 0 }), /look one-hot encoded; use loss: 'categorical_crossentropy'/);
  });

  it('NaN and Inf in the data', async () => {
    const bad = tensor2d([[1, 2, 3], [4, NaN, 6], [7, 8, 9]]);
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const o31 = ones([3, 1]);
    const o33 = ones([3, 3]);
    await rejects(model, (model_) => model_.fit(bad, o31, { verbose: 0 }), /x contains NaN or Inf values \(first in sample 1\)/);
    const badY = tensor2d([[1], [Infinity], [3]]);
    await rejects(model, (model_) => model_.fit(o33, badY, { verbose: 0 }), /y contains NaN or Inf values \(first in sample 1\)/);
    await rejects(
      model,
      (model_) => model_.fit(o33, o31, { verbose: 0, validationData: [bad, o31] }),
      /validationData x contains NaN or Inf/,
    );
  });

  it('empty data', async () => {
    const model = Sequential([Dense(1, { inputShape: [3] })]);
    model.compile({ loss: 'mse', optimizer: 'sgd' });
    const e3 = zeros([0, 3]);
    const e1 = zeros([0, 1]);
    await rejects(model, (model_) => model_.fit(e3, e1, { verbose: 0 }), /the data is empty \(x has shape \[0, 3\], 0 samples\)/);
    await rejects(model, (model_) => model_.fit([], [], { verbose: 0 }), /empty|x must/);
  });

  it('batch size and epochs not positive integers', async () => {
    const m = perceptron();
    await rejects(m, (model_) => model_.fit(x, y, { batchSize: 0 }), /batchSize must be a positive integer or 'full' \(full-batch gradient descent\), got 0/);
    await rejects(m, (model_) => model_.fit(x, y, { batchSize: 2.5 }), /batchSize must be a positive integer.*got 2\.5/);
    await rejects(m, (model_) => model_.fit(x, y, { batchSize: 'all' as never }), /batchSize must be.*got "all"/);
    await rejects(m, (model_) => model_.fit(x, y, { epochs: 0 }), /epochs must be a positive integer, got 0/);
    await rejects(m, (model_) => model_.fit(x, y, { epochs: -3 }), /epochs must be a positive integer, got -3/);
    await rejects(m, (model_) => model_.fit(x, y, { epochs: 1.5 }), /epochs must be a positive integer, got 1\.5/);
    await rejects(m, (model_) => model_.evaluate(x, y, { batchSize: -1 }), /evaluate: batchSize must be a positive integer, got -1/);
    expect(() => m.predict(x, { batchSize: 0 })).toThrow(/predict: batchSize must be a positive integer, got 0/);
  });

  it('input shape not matching the model names the layer and both shapes', async () => {
    const m = perceptron();
    const flat = zeros([64, 784]);
    await rejects(m, (model_) => model_.fit(flat, y, { verbose: 0 }), /Flatten "flatten(_\d+)?" expects input \[null, 28, 28\], got x of shape \[64, 784\]/);
    expect(() => m.predict(flat)).toThrow(/Flatten "flatten(_\d+)?" expects input \[null, 28, 28\], got x of shape \[64, 784\] \(same size per sample/);
    const inputs = Input({ shape: [784] });
    const model = Model({ inputs, outputs: Dense(10, { activation: 'softmax' })(inputs) });
    expect(() => model.predict(zeros([5, 100]))).toThrow(/Dense "dense(_\d+)?" expects input \[null, 784\], got x of shape \[5, 100\]/);
  });

  it('other option errors', async () => {
    const m = perceptron();
    await rejects(m, (model_) => model_.fit(x, y, { validationSplit: 1 }), /validationSplit must be a number in \[0, 1\), got 1/);
    await rejects(m, (model_) => model_.fit(x, y, { verbose: 3 as never }), /verbose must be 0, 1 or 2, got 3/);
    await rejects(m, (model_) => model_.fit(x, y, { epocs: 3 } as never), /unknown option "epocs" \(did you mean "epochs"\?\)\. Known options: epochs/);
    await rejects(m, (model_) => model_.fit(x, y, { initialEpoch: -1 }), /initialEpoch must be an integer >= 0, got -1/);
  });

  it('unknown names in compile list the known ones', () => {
    const m = perceptron(false);
    expect(() => m.compile({ loss: 'categorical_crossentropyy', optimizer: 'sgd' })).toThrow(/Unknown loss "categorical_crossentropyy"\. Known losses: .*categorical_crossentropy/);
    expect(() => m.compile({ loss: 'mse', optimizer: 'sgdd' })).toThrow(/Unknown optimizer "sgdd"\. Known optimizers: .*SGD/);
    expect(() => m.compile({ loss: 'mse', metrics: ['acuracy'] })).toThrow(/Unknown metric "acuracy"/);
    expect(() => m.compile({ loss: 'mse', optimiser: 'sgd' } as never)).toThrow(/compile: unknown option "optimiser"/);
  });

  it('a Sequential without layers or input', () => {
    expect(() => Sequential().predict(zeros([2, 3]))).toThrow(/has no layers/);
    expect(() => Sequential([Dense(2)]).summary()).toThrow(/not built yet/);
  });

  it('a disposed tensor', async () => {
    const t = zeros([4, 28, 28]);
    t.dispose();
    expect(() => perceptron().predict(t)).toThrow(
      'predict(x): expected a live tensor, got a disposed tensor (shape [4, 28, 28]) — was it disposed by tidy() or dispose()?',
    );
  });
});

function regression3() {
  const m = Sequential([Dense(1, { inputShape: [3] })]);
  m.compile({ loss: 'mse', optimizer: 'sgd' });
  return m;
}

/** A tensor already disposed. */
function gone(shape: number[]): Tensor {
  const t = zeros(shape);
  t.dispose();
  return t;
}

const live = (m: string, arg: string, shape: string): string =>
  `${m}(${arg}): expected a live tensor, got a disposed tensor (shape ${shape}) — was it disposed by tidy() or dispose()?`;

describe('NaN and Inf are checked by predict and evaluate too', () => {
  const bad = tensor2d([[1, 2, 3], [4, NaN, 6], [7, 8, Infinity]]);
  const good = ones([3, 3]);
  const o31 = ones([3, 1]);

  it('predict and predictOnBatch name the array and the first bad sample', () => {
    const m = regression3();
    const before = memory().numTensors;
    expect(() => m.predict(bad)).toThrow(/^predict: x contains NaN or Inf values \(first in sample 1\)\. Clean or impute the data before predicting/);
    expect(() => m.predict(bad, { batchSize: 1 })).toThrow(/predict: x contains NaN or Inf values \(first in sample 1\)/);
    expect(() => m.predictOnBatch([[0, 0, 0], [0, 0, -Infinity]])).toThrow(/x contains NaN or Inf values \(first in sample 1\)/);
    expect(memory().numTensors).toBe(before);
    // finite data still predicts, and twice (the second call skips the scan)
    for (let i = 0; i < 2; i++) {
      const p = m.predict(good) as Tensor;
      expect(p.shape).toEqual([3, 1]);
      p.dispose();
    }
    expect(memory().numTensors).toBe(before);
  });

  it('predict names the input of a model with several', () => {
    const a = Input({ shape: [3], name: 'a' });
    const b = Input({ shape: [3], name: 'b' });
    const m = Model({ inputs: [a, b], outputs: Dense(1)(Concatenate()([a, b])) });
    expect(() => m.predict([good, bad])).toThrow(/predict: x\[1\] \(b\) contains NaN or Inf values \(first in sample 1\)/);
  });

  it('evaluate, testOnBatch and trainOnBatch check x and y before any kernel runs', async () => {
    const m = regression3();
    await rejects(m, (model_) => model_.evaluate(bad, o31), /^evaluate: x contains NaN or Inf values \(first in sample 1\)\. Clean or impute the data before evaluating/);
    const badY = tensor2d([[0], [0], [NaN]]);
    await rejects(m, (model_) => model_.evaluate(good, badY), /evaluate: y contains NaN or Inf values \(first in sample 2\)/);
    await rejects(m, (model_) => model_.testOnBatch(bad, o31), /testOnBatch: x contains NaN or Inf values \(first in sample 1\)/);
    await rejects(m, (model_) => model_.trainOnBatch(bad, o31), /trainOnBatch: x contains NaN or Inf values \(first in sample 1\)\. Clean or impute the data before training/);
    expect(m.optimizer?.iterations).toBe(0);
  });
});

describe('callbacks that are not callback objects say what they got', () => {
  const { x, y } = syntheticMnist(8, 3);

  it('names the wrong element and its type', async () => {
    const m = perceptron();
    await rejects(m, (model_) => model_.fit(x, y, { verbose: 0, callbacks: [42 as never] }), /callbacks must be an array of callback objects, e\.g\. \[EarlyStopping\(\{ patience: 3 \}\)\]; callbacks\[0\] is the number 42$/);
    await rejects(m, (model_) => model_.fit(x, y, { verbose: 0, callbacks: [EarlyStopping(), null as never] }), /callbacks\[1\] is null$/);
    await rejects(m, (model_) => model_.fit(x, y, { verbose: 0, callbacks: ['early' as never] }), /callbacks\[0\] is the string "early"$/);
  });

  it('a factory instead of the callback it makes', async () => {
    await rejects(
      perceptron(),
      (model_) => model_.fit(x, y, { verbose: 0, callbacks: [EarlyStopping as never] }),
      /callbacks\[0\] is the function EarlyStopping \(call the factory to make the callback: EarlyStopping\(\{ \.\.\. \}\)\)/,
    );
  });

  it('a single callback or another value instead of an array', async () => {
    await rejects(perceptron(), (model_) => model_.fit(x, y, { verbose: 0, callbacks: EarlyStopping() as never }), /callbacks must be an array of callback objects.*; got an EarlyStoppingCallback \(wrap a single callback in an array: \[callback\]\)/);
    await rejects(perceptron(), (model_) => model_.fit(x, y, { verbose: 0, callbacks: 5 as never }), /; got the number 5$/);
  });
});

describe('a disposed tensor names the method, the argument and its shape', () => {

  it('in fit, evaluate, trainOnBatch, testOnBatch and predict', async () => {
    const m = Sequential([Dense(1, { inputShape: [3] })]);
    m.compile({ loss: 'mse', optimizer: 'sgd' });
    const x = ones([4, 3]);
    const y = ones([4, 1]);
    const before = memory().numTensors;
    await expect(m.fit(gone([4, 3]), y, { verbose: 0 })).rejects.toThrow(live('fit', 'x', '[4, 3]'));
    await expect(m.fit(x, gone([4, 1]), { verbose: 0 })).rejects.toThrow(live('fit', 'y', '[4, 1]'));
    await expect(m.fit(x, y, { verbose: 0, validationData: [gone([2, 3]), y] })).rejects.toThrow(live('fit', 'validationData x', '[2, 3]'));
    await expect(m.evaluate(gone([4, 3]), y)).rejects.toThrow(live('evaluate', 'x', '[4, 3]'));
    await expect(m.trainOnBatch(x, gone([4, 1]))).rejects.toThrow(live('trainOnBatch', 'y', '[4, 1]'));
    await expect(m.testOnBatch(gone([4, 3]), y)).rejects.toThrow(live('testOnBatch', 'x', '[4, 3]'));
    expect(() => m.predict(gone([4, 3]))).toThrow(live('predict', 'x', '[4, 3]'));
    // the first disposed tensor of the same calls leaves nothing behind: tensors alive unchanged
    // (the two `gone` tensors per call were disposed already)
    expect(memory().numTensors).toBe(before);
  });

  it('names the input of a model with several', () => {
    const a = Input({ shape: [2], name: 'a' });
    const b = Input({ shape: [2], name: 'b' });
    const m = Model({ inputs: [a, b], outputs: Dense(1)(Concatenate()([a, b])) });
    expect(() => m.predict({ a: ones([3, 2]), b: gone([3, 2]) })).toThrow(live('predict', 'x[1] (b)', '[3, 2]'));
  });
});
