import { beforeEach, describe, it } from 'vitest';
import { L, M, T } from './bad-inputs/packages';
import { expectError } from './bad-inputs/expect-error';

// Reliability (docs/contracts.md, common rules): every bad input to a model gets its own message naming what was expected and
// what was found — never a stack from deep inside a kernel.

beforeEach(() => L.resetNames());

function compiled(loss = 'mse', inputs = 2, units = 1, activation?: string): M.Sequential {
  const m = M.Sequential([L.Dense(units, { inputShape: [inputs], ...(activation ? { activation } : {}) })]);
  m.compile({ loss, optimizer: 'sgd' });
  return m;
}

describe('shape mismatches name the layer and both shapes', () => {
  it('predict: images into a Dense that expects vectors', async () => {
    const m = M.Sequential([L.Dense(10, { inputShape: [784], name: 'dense_1' })]);
    await expectError(() => m.predict(T.zeros([32, 28, 28])), 'Dense "dense_1" expects input [null, 784]', 'got x of shape [32, 28, 28]');
  });

  it('fit: the wrong number of features', async () => {
    await expectError(() => compiled('mse', 4, 2).fit(T.zeros([8, 5]), T.zeros([8, 2]), { verbose: 0 }), /Dense "dense" expects input \[null, 4\], got x of shape \[8, 5\]/);
  });

  it('functional graph: Concatenate of incompatible shapes', async () => {
    const a = L.Input({ shape: [3] });
    const b = L.Input({ shape: [2, 2] });
    await expectError(() => L.Concatenate({ name: 'join' })([a, b]), 'Concatenate "join" expects inputs of equal shapes except on axis -1', 'got [null, 3], [null, 2, 2]');
  });

  it('evaluate: y with more columns than the output has units', async () => {
    await expectError(() => compiled('mse', 4, 2).evaluate(T.zeros([8, 4]), T.zeros([8, 3])), 'y has shape [8, 3]', 'gives [null, 2]', 'has only 2 units');
  });

  it('a loss called directly on mismatched shapes', async () => {
    const { LS } = await import('./bad-inputs/packages');
    await expectError(() => LS.get('mse')(T.zeros([4, 2]), T.zeros([4, 3])), 'must have the same shape', 'yTrue [4, 2] and yPred [4, 3]');
  });
});

describe('label encodings', () => {
  it('integer labels with categorical cross-entropy', async () => {
    const m = compiled('categorical_crossentropy', 4, 10, 'softmax');
    await expectError(
      () => m.fit(T.zeros([8, 4]), T.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), { verbose: 0 }),
      'expects one-hot labels of shape [8, 10]',
      'y has shape [8]: integer class labels',
      "sparse_categorical_crossentropy",
    );
  });

  it('a column of integer labels with categorical cross-entropy', async () => {
    const m = compiled('categorical_crossentropy', 4, 10, 'softmax');
    await expectError(() => m.fit(T.zeros([8, 4]), T.tensor2d([0, 1, 2, 3, 4, 5, 6, 7], [8, 1]), { verbose: 0 }), 'one-hot labels of shape [8, 10]', 'y has shape [8, 1]');
  });

  it('more classes in the labels than output units (sparse labels)', async () => {
    const m = compiled('sparse_categorical_crossentropy', 4, 10, 'softmax');
    await expectError(() => m.fit(T.zeros([3, 4]), T.tensor1d([0, 12, 3], 'int32'), { verbose: 0 }), 'class labels from 0 to 12', 'has 10 units', 'at least 13 units');
  });

  it('more classes in one-hot labels than output units', async () => {
    const m = compiled('categorical_crossentropy', 4, 10, 'softmax');
    await expectError(() => m.fit(T.zeros([3, 4]), T.zeros([3, 12]), { verbose: 0 }), 'y has shape [3, 12]', 'gives [null, 10]', 'y has 12 classes');
  });
});

describe('data', () => {
  it('NaN in x', async () => {
    await expectError(() => compiled().fit(T.tensor2d([[1, NaN], [0, 0]]), T.zeros([2, 1]), { verbose: 0 }), 'x contains NaN or Inf values', 'first in sample 0');
  });

  it('Infinity in y', async () => {
    await expectError(() => compiled().fit(T.zeros([2, 2]), T.tensor2d([[1], [Infinity]]), { verbose: 0 }), 'y contains NaN or Inf values', 'first in sample 1');
  });

  it('empty data', async () => {
    await expectError(() => compiled().fit(T.zeros([0, 2]), T.zeros([0, 1]), { verbose: 0 }), 'the data is empty', 'x has shape [0, 2], 0 samples');
  });

  it('x and y of different lengths', async () => {
    await expectError(() => compiled().fit(T.zeros([10, 2]), T.zeros([9, 1]), { verbose: 0 }), 'x has 10 samples but y has 9', 'x [10, 2], y [9, 1]');
  });

  it('NaN in x given to predict or evaluate', async () => {
    const x = T.tensor2d([[1, 2], [NaN, 0]]);
    await expectError(() => compiled().predict(x), 'predict: x contains NaN or Inf values', 'first in sample 1', 'before predicting');
    await expectError(() => compiled().evaluate(x, T.zeros([2, 1])), 'evaluate: x contains NaN or Inf values', 'first in sample 1');
  });

  it('a disposed tensor', async () => {
    const x = T.zeros([2, 2]);
    x.dispose();
    const hint = 'expected a live tensor, got a disposed tensor (shape [2, 2]) — was it disposed by tidy() or dispose()?';
    await expectError(() => compiled().fit(x, T.zeros([2, 1]), { verbose: 0 }), `fit(x): ${hint}`);
    await expectError(() => compiled().predict(x), `predict(x): ${hint}`);
    await expectError(() => compiled().evaluate(T.zeros([2, 2]), x), 'evaluate(y): expected a live tensor, got a disposed tensor (shape [2, 2])');
    await expectError(() => compiled().trainOnBatch(x, T.zeros([2, 1])), `trainOnBatch(x): ${hint}`);
  });
});

describe('fit options', () => {
  it('non-positive batch size', async () => {
    await expectError(() => compiled().fit(T.zeros([10, 2]), T.zeros([10, 1]), { verbose: 0, batchSize: 0 }), "batchSize must be a positive integer or 'full'", 'got 0');
    await expectError(() => compiled().predict(T.zeros([2, 2]), { batchSize: -3 }), 'batchSize must be a positive integer', 'got -3');
  });

  it('non-positive epochs', async () => {
    await expectError(() => compiled().fit(T.zeros([10, 2]), T.zeros([10, 1]), { verbose: 0, epochs: 0 }), 'epochs must be a positive integer', 'got 0');
  });

  it('validationSplit out of range', async () => {
    await expectError(() => compiled().fit(T.zeros([10, 2]), T.zeros([10, 1]), { verbose: 0, validationSplit: 1.5 }), 'validationSplit must be a number in [0, 1)', 'got 1.5');
  });

  it('callbacks that are not callback objects', async () => {
    await expectError(() => compiled().fit(T.zeros([2, 2]), T.zeros([2, 1]), { verbose: 0, callbacks: [42 as never] }), 'callbacks must be an array of callback objects', 'callbacks[0] is the number 42');
    await expectError(
      () => compiled().fit(T.zeros([2, 2]), T.zeros([2, 1]), { verbose: 0, callbacks: [M.TerminateOnNaN(), M.EarlyStopping as never] }),
      'callbacks[1] is the function EarlyStopping',
      'call the factory to make the callback',
    );
    await expectError(() => compiled().fit(T.zeros([2, 2]), T.zeros([2, 1]), { verbose: 0, callbacks: 'all' as never }), "callbacks must be an array of callback objects", 'got the string "all"');
  });
});

describe('model lifecycle', () => {
  it('fit before compile', async () => {
    const m = M.Sequential([L.Dense(1, { inputShape: [2] })]);
    await expectError(() => m.fit(T.zeros([2, 2]), T.zeros([2, 1]), { verbose: 0 }), 'must be compiled first', 'call model.compile({ loss, optimizer, metrics }) before fit');
  });

  it('predict on a model with no layers (no inputs)', async () => {
    await expectError(() => M.Sequential().predict(T.zeros([2, 2])), 'has no layers', 'model.add(...)');
  });

  it('a functional model whose inputs are not Inputs', async () => {
    const a = L.Input({ shape: [2] });
    const h = L.Dense(2, { name: 'hidden' })(a);
    await expectError(() => M.Model({ inputs: h, outputs: h }), 'must come straight from Input()', 'output of layer "hidden"');
  });

  it('a disposed model', async () => {
    const m = compiled();
    m.dispose();
    await expectError(() => m.predict(T.zeros([2, 2])), /predict: Sequential "sequential(_\d+)?" was disposed/);
  });
});
