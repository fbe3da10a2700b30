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
  LeakyReLU,
  Maxout,
  PReLU,
  ReLU,
  Reshape,
  Softmax,
  resetNames,
} from '../src/index';
import { awayFromZero, gradCheck } from './helpers';

describe('gradients against finite differences: d sum(layer(x)·r) / d (weights, input)', () => {
  beforeEach(() => {
    resetNames();
    T.setSeed(3);
  });

  it('Dense (linear, with bias)', () => {
    const d = Dense(3, { biasInitializer: 'random_normal' });
    gradCheck(d, awayFromZero([4, 5], 1));
    expect(d.trainableWeights.length).toBe(2);
  });

  it('Dense with tanh and without bias', () => {
    gradCheck(Dense(2, { activation: 'tanh', useBias: false }), awayFromZero([3, 4], 2));
  });

  it('Dense with softmax, and on a rank-3 input', () => {
    gradCheck(Dense(3, { activation: 'softmax' }), awayFromZero([2, 4], 3));
    gradCheck(Dense(2, { activation: 'sigmoid' }), awayFromZero([2, 3, 4], 4));
  });

  it('Dense with activations fused into the matMul (relu, relu6, elu, leaky_relu) and not fused', () => {
    gradCheck(Dense(3, { activation: 'relu', biasInitializer: 'random_normal' }), awayFromZero([4, 5], 31));
    gradCheck(Dense(3, { activation: 'relu6' }), awayFromZero([4, 5], 32));
    gradCheck(Dense(3, { activation: 'elu' }), awayFromZero([4, 5], 33));
    gradCheck(Dense(3, { activation: 'leaky_relu' }), awayFromZero([4, 5], 34));
    gradCheck(Dense(3, { activation: { className: 'leaky_relu', config: { alpha: 2 } } }), awayFromZero([4, 5], 35));
    gradCheck(Dense(3, { activation: { className: 'elu', config: { alpha: 0.5 } } }), awayFromZero([4, 5], 36));
  });

  it('Maxout (kernel, bias, input)', () => {
    gradCheck(Maxout(3, { pieces: 2, biasInitializer: 'random_normal' }), awayFromZero([4, 5], 5));
    gradCheck(Maxout(2, { pieces: 3 }), awayFromZero([3, 4], 6));
  });

  it('PReLU (alpha, input), also with shared axes', () => {
    const p = PReLU({ alphaInitializer: { className: 'Constant', config: { value: 0.25 } } });
    gradCheck(p, awayFromZero([3, 4], 7));
    const q = PReLU({ alphaInitializer: 'random_uniform', sharedAxes: [1] });
    gradCheck(q, awayFromZero([2, 3, 4], 8));
    expect(q.alpha?.shape).toEqual([1, 4]);
  });

  it('PReLU gradient wrt alpha is sum of dy·x over negative inputs', () => {
    const p = PReLU();
    const x = T.tensor2d([[-1, 2], [-3, -0.5]]);
    p.apply(x).dispose(); // build
    const { grads } = T.variableGrads(() => T.sum(p.apply(x)) as T.Scalar, p.trainableWeights);
    expect(Array.from(grads[(p.alpha as T.Variable).name].dataSync())).toEqual([-4, -0.5]);
  });

  it('activation layers: LeakyReLU, ELU, ReLU, Softmax, Activation', () => {
    gradCheck(LeakyReLU(), awayFromZero([3, 4], 9));
    gradCheck(ELU({ alpha: 0.7 }), awayFromZero([3, 4], 10));
    gradCheck(ReLU({ maxValue: 1.5, negativeSlope: 0.05 }), awayFromZero([3, 4], 11));
    gradCheck(Softmax(), awayFromZero([3, 4], 12));
    gradCheck(Softmax({ axis: 1 }), awayFromZero([2, 3, 2], 13));
    gradCheck(Activation('sigmoid'), awayFromZero([3, 4], 14));
  });

  it('shape layers and merges: Flatten, Reshape, Concatenate, Add', () => {
    gradCheck(Flatten(), awayFromZero([2, 3, 2], 15));
    gradCheck(Reshape([3, -1]), awayFromZero([2, 6], 16));
    gradCheck(Concatenate(), [awayFromZero([2, 3], 17), awayFromZero([2, 2], 18)]);
    gradCheck(Add(), [awayFromZero([2, 3], 19), awayFromZero([2, 3], 20), awayFromZero([2, 3], 21)]);
  });

  it('Dropout in inference passes the gradient through unchanged', () => {
    gradCheck(Dropout(0.5), awayFromZero([2, 3], 22));
  });
});
