import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as A from '../src/index';
import type { ActivationFn } from '../src/index';

const x = T.tensor1d([-2, -0.5, 0, 0.5, 2]);
const vals = (t: T.Tensor): number[] => Array.from(t.dataSync());
function cube(t: T.Tensor): T.Tensor {
  return T.pow(t, 3);
}

describe('get', () => {
  it('finds Keras snake_case names, camelCase names and class-style names', () => {
    expect(A.get('relu')).toBe(A.relu);
    expect(A.get('leaky_relu')).toBe(A.leakyRelu);
    expect(A.get('leakyRelu')).toBe(A.leakyRelu);
    expect(A.get('LeakyReLU')).toBe(A.leakyRelu);
    expect(A.get('hard_sigmoid')).toBe(A.hardSigmoid);
    expect(A.get('hardSigmoid')).toBe(A.hardSigmoid);
    expect(A.get('log_softmax')).toBe(A.logSoftmax);
    expect(A.get('logSoftmax')).toBe(A.logSoftmax);
    expect(A.get('swish')).toBe(A.silu);
    expect(A.get('hard_swish')).toBe(A.hardSilu);
    expect(A.get('relu6')).toBe(A.relu6);
    expect(A.get('softmax')).toBe(A.softmax);
    expect(A.get('linear')).toBe(A.linear);
  });

  it('undefined and null give linear', () => {
    expect(A.get(undefined)).toBe(A.linear);
    expect(A.get(null)).toBe(A.linear);
  });

  it('returns an activation object itself', () => {
    expect(A.get(A.gelu)).toBe(A.gelu);
  });

  it('names a plain function after itself, without changing it', () => {
    const f = A.get(cube);
    expect(f.className).toBe('cube');
    expect(vals(f(T.tensor1d([2])))).toEqual([8]);
    expect((cube as Partial<ActivationFn>).className).toBeUndefined();
  });

  it('takes { className, config } and binds the config', () => {
    expect(A.get({ className: 'relu' })).toBe(A.relu);
    expect(A.get({ className: 'relu', config: {} })).toBe(A.relu);
    const leaky = A.get({ className: 'leaky_relu', config: { alpha: 0.2 } });
    expect(leaky.className).toBe('leaky_relu');
    expect(leaky.getConfig?.()).toEqual({ alpha: 0.2 });
    expect(vals(leaky(x))).toEqual(vals(A.leakyRelu(x, 0.2)));
    // Keras 3 calls the slope negative_slope
    expect(A.get({ className: 'leaky_relu', config: { negative_slope: 0.3 } }).getConfig?.()).toEqual({ alpha: 0.3 });
    const elu = A.get({ className: 'elu', config: { alpha: 0.5 } });
    expect(vals(elu(x))).toEqual(vals(A.elu(x, 0.5)));
    const gelu = A.get({ className: 'gelu', config: { approximate: true } });
    expect(vals(gelu(x))).toEqual(vals(A.gelu(x, true)));
    const m = T.tensor2d([[1, 2], [3, 5]]);
    const sm = A.get({ className: 'softmax', config: { axis: 0 } });
    expect(vals(sm(m))).toEqual(vals(A.softmax(m, 0)));
    expect(sm.getConfig?.()).toEqual({ axis: 0 });
  });

  it('rejects config an activation does not take, with the keys it does', () => {
    expect(() => A.get({ className: 'leaky_relu', config: { slope: 0.2 } })).toThrow(
      'activation "leaky_relu": unknown config key "slope"; expected alpha, negative_slope, negativeSlope',
    );
    expect(() => A.get({ className: 'relu', config: { alpha: 1 } })).toThrow('activation "relu": unknown config key "alpha"; it takes no config');
    expect(() => A.get({ className: 'elu', config: { alpha: Number.NaN } })).toThrow('elu: alpha must be a finite number, got NaN');
    expect(() => A.get({ className: 'softmax', config: { axis: 7 } })(x)).toThrow('softmax: axis must be an integer in [-1, 0]');
  });

  it('an unknown name is an error listing the known names', () => {
    let message = '';
    try {
      A.get('rectifier');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Unknown activation "rectifier"\. Known activations: linear, sigmoid, tanh, relu, /);
    for (const name of ['leaky_relu', 'elu', 'selu', 'gelu', 'silu', 'swish', 'softplus', 'softsign', 'hard_sigmoid', 'softmax', 'log_softmax', 'exponential']) {
      expect(message).toContain(name);
    }
    expect(() => A.get({ className: 'nope' })).toThrow('Unknown activation "nope"');
  });

  it('other kinds of identifier are an error saying what is expected', () => {
    expect(() => A.get(42 as unknown as string)).toThrow('activation: expected a name, a function or { className, config }, got 42');
  });
});

describe('className and serialize', () => {
  it('every built-in carries its Keras name, and serialize returns it', () => {
    const expected: [ActivationFn, string][] = [
      [A.relu, 'relu'], [A.relu6, 'relu6'], [A.leakyRelu, 'leaky_relu'], [A.elu, 'elu'], [A.selu, 'selu'],
      [A.sigmoid, 'sigmoid'], [A.tanh, 'tanh'], [A.hardSigmoid, 'hard_sigmoid'], [A.softplus, 'softplus'],
      [A.softsign, 'softsign'], [A.logSigmoid, 'log_sigmoid'], [A.gelu, 'gelu'], [A.silu, 'silu'],
      [A.swish, 'silu'], [A.hardSilu, 'hard_silu'], [A.mish, 'mish'], [A.softmax, 'softmax'],
      [A.logSoftmax, 'log_softmax'], [A.linear, 'linear'], [A.exponential, 'exponential'],
    ];
    for (const [fn, name] of expected) {
      expect(fn.className).toBe(name);
      expect(A.serialize(fn)).toBe(name);
      expect(A.get(A.serialize(fn))).toBe(fn);
    }
    expect(A.maxout.className).toBe('maxout');
  });

  it('getConfig gives the defaults, leaky_relu alpha 0.1 as the course writes it', () => {
    expect(A.leakyRelu.getConfig()).toEqual({ alpha: 0.1 });
    expect(A.elu.getConfig()).toEqual({ alpha: 1 });
    expect(A.gelu.getConfig()).toEqual({ approximate: false });
    expect(A.softmax.getConfig()).toEqual({ axis: -1 });
    expect(A.relu.getConfig()).toEqual({});
  });

  it('every registry entry is callable with one tensor and has a className', () => {
    for (const [name, fn] of A.registry) {
      expect(typeof fn.className, name).toBe('string');
      expect(fn(x).shape, name).toEqual([5]);
    }
  });

  it('serialize rejects what is not an activation', () => {
    expect(() => A.serialize((() => x) as unknown as ActivationFn)).toThrow('serialize: expected an activation function with a className');
  });
});

describe('registerActivation', () => {
  it('makes a contributed activation findable by its name, camelCase included', () => {
    const bent = A.registerActivation('bent_identity', (t) => T.add(T.div(T.sub(T.sqrt(T.add(T.square(t), 1)), 1), 2), t));
    expect(bent.className).toBe('bent_identity');
    expect(A.get('bent_identity')).toBe(bent);
    expect(A.get('bentIdentity')).toBe(bent);
    expect(A.registry.get('bent_identity')).toBe(bent);
    expect(vals(bent(T.tensor1d([0])))).toEqual([0]);
    expect(A.serialize(bent)).toBe('bent_identity');
  });

  it('refuses a taken name or a non-function', () => {
    expect(() => A.registerActivation('relu', (t) => t)).toThrow(
      'registerActivation: "relu" is the name of a built-in activation ("relu"); pass { override: true } to replace it',
    );
    expect(() => A.registerActivation('leakyRelu', (t) => t)).toThrow('built-in activation ("leaky_relu")');
    const first = A.registerActivation('twice_x', (t) => T.mul(t, 2));
    expect(() => A.registerActivation('twice_x', (t) => T.mul(t, 3))).toThrow(
      'registerActivation: an activation named "Custom>twice_x" is already registered; pass { override: true }',
    );
    expect(A.get('twice_x')).toBe(first);
    const third = A.registerActivation('twice_x', (t) => T.mul(t, 3), { override: true });
    expect(A.get('Custom>twice_x')).toBe(third);
    const other = A.registerActivation('twice_x', (t) => T.mul(t, 4), { package: 'mine' });
    expect(A.get('mine>twice_x')).toBe(other);
    expect(() => A.get('twice_x')).toThrow('"twice_x" names several registered activations (Custom>twice_x, mine>twice_x); use the full key');
    expect(() => A.registerActivation('', (t) => t)).toThrow('registerActivation: name must be a non-empty string, got ""');
    expect(() => A.registerActivation('x2', 3 as unknown as (t: T.Tensor) => T.Tensor)).toThrow(
      'registerActivation("x2"): expected a function (x) => Tensor, got 3',
    );
  });
});
