import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  Activation,
  Add,
  Concatenate,
  Dense,
  Dropout,
  ELU,
  Flatten,
  Input,
  L2,
  LeakyReLU,
  Maxout,
  PReLU,
  ReLU,
  Reshape,
  Softmax,
  resetNames,
} from '../src/index';
import type { Layer } from '../src/index';

describe('no tensor leaks', () => {
  beforeEach(() => resetNames());

  it('each call leaves exactly its output (weights made once, on the first call)', () => {
    const single: [Layer, number[]][] = [
      [Dense(4, { activation: 'relu', kernelRegularizer: L2() }), [3, 5]],
      [Dense(4, { activation: 'softmax' }), [3, 2, 5]],
      [Flatten(), [3, 2, 2]],
      [Reshape([-1]), [3, 2, 2]],
      [Activation('softmax'), [3, 5]],
      [Activation('linear'), [3, 5]],
      [Dropout(0.5), [3, 5]],
      [Maxout(2, { pieces: 3 }), [3, 5]],
      [LeakyReLU(), [3, 5]],
      [PReLU(), [3, 5]],
      [ELU({ alpha: 0.5 }), [3, 5]],
      [Softmax({ axis: 0 }), [3, 5]],
      [ReLU({ maxValue: 1, negativeSlope: 0.1 }), [3, 5]],
    ];
    for (const [layer, shape] of single) {
      const x = T.ones(shape);
      layer(x).dispose(); // builds
      for (const training of [false, true]) {
        const before = T.memory().numTensors;
        const y = layer(x, { training });
        expect(T.memory().numTensors, `${layer.name} training=${training}`).toBe(before + 1);
        y.dispose();
        expect(T.memory().numTensors, `${layer.name} output disposed`).toBe(before);
      }
      x.dispose();
    }
    for (const layer of [Concatenate(), Add()]) {
      const xs = [T.ones([2, 3]), T.ones([2, 3])];
      layer(xs).dispose();
      const before = T.memory().numTensors;
      layer(xs).dispose();
      expect(T.memory().numTensors, layer.name).toBe(before);
      T.dispose(xs);
    }
  });

  it('identity outputs are copies: disposing them keeps the input', () => {
    const x = T.ones([2, 2]);
    const y = Dropout(0.5)(x);
    y.dispose();
    expect(x.isDisposed).toBe(false);
    const z = Activation('linear')(x);
    z.dispose();
    expect(x.isDisposed).toBe(false);
  });

  it('symbolic calls and gradients make no tensors beyond the weights', () => {
    const d = Dense(3, { kernelRegularizer: L2() });
    const before = T.memory().numTensors;
    d(Input({ shape: [4] }));
    expect(T.memory().numTensors).toBe(before + 2); // kernel and bias
    const x = T.ones([2, 4]);
    const start = T.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      T.tidy(() => {
        const { value, grads } = T.variableGrads(
          () => T.add(T.sum(d(x, { training: true })), T.addN(d.losses())) as T.Scalar,
          d.trainableWeights,
        );
        expect(Object.keys(grads).length).toBe(2);
        expect(value.shape).toEqual([]);
      });
    }
    expect(T.memory().numTensors).toBe(start);
  });
});
