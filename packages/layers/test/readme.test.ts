import { expect, it } from 'vitest';
import { add, randomNormal, variableGrads, sum, type Scalar } from '@neurona/tensor';
import { Input, Flatten, Dense, Dropout, Concatenate, L2, topologicalSort, resetNames } from '../src/index';

// The README's example, with its printed values checked.
it('README example', () => {
  resetNames();
  const dense = Dense(3, { activation: 'relu', kernelRegularizer: L2(0.01) });
  const x = randomNormal([4, 5]);
  const y = dense(x);
  expect(y.shape).toEqual([4, 3]);
  expect(dense.weights.map((w) => w.name)).toEqual(['dense/kernel', 'dense/bias']);

  const { grads } = variableGrads(() => add(sum(dense(x)), dense.losses()[0]) as Scalar, dense.trainableWeights);
  expect(Object.keys(grads)).toEqual(['dense/kernel', 'dense/bias']);

  const drop = Dropout(0.5, { seed: 1 });
  expect(drop(y, { training: true }).shape).toEqual([4, 3]);

  const image = Input({ shape: [28, 28], name: 'image' });
  const extra = Input({ shape: [4], name: 'extra' });
  const h = Dense(32, { activation: 'relu' })(Flatten()(image));
  const joined = Concatenate()([h, extra]);
  const out = Dense(10, { activation: 'softmax' })(joined);
  expect(out.shape).toEqual([null, 10]);
  expect(topologicalSort([out]).layers.map((l) => l.name)).toEqual([
    'image',
    'flatten',
    'dense_1',
    'extra',
    'concatenate',
    'dense_2',
  ]);
  expect(() => dense(randomNormal([32, 28, 28]))).toThrow('Dense "dense" expects input [null, 5], got [32, 28, 28]');
  dense.dispose();
});

// The README's recurrent example, its shapes and masks checked.
it('README recurrent example', async () => {
  const { Embedding, Bidirectional, LSTM } = await import('../src/index');
  resetNames();
  const ids = Input({ shape: [20] });
  const e = Embedding(10000, 64, { maskZero: true })(ids);
  expect(e.shape).toEqual([null, 20, 64]);
  expect(e.hasMask).toBe(true);
  const h = Bidirectional(LSTM(32, { returnSequences: true }))(e);
  expect(h.shape).toEqual([null, 20, 64]);
  expect(h.hasMask).toBe(true);
  const [last, hState, cState] = LSTM(16, { returnState: true })(h) as unknown as ReturnType<typeof Input>[];
  expect([last.shape, hState.shape, cState.shape]).toEqual([[null, 16], [null, 16], [null, 16]]);
  const out = Dense(1, { activation: 'sigmoid' })(last);
  expect(out.shape).toEqual([null, 1]);
});
