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
  InputLayer,
  L1L2,
  L2,
  Layer,
  LeakyReLU,
  Maxout,
  PReLU,
  ReLU,
  Reshape,
  Softmax,
  deserializeLayer,
  registerLayer,
  registry,
  resetNames,
  serializeLayer,
} from '../src/index';
import type { LayerConfig, LayerOptions } from '../src/index';

describe('serialization', () => {
  beforeEach(() => resetNames());

  it('Dense config has Keras keys in camelCase, plain JSON', () => {
    const d = Dense(10, { activation: 'softmax', inputShape: [784], kernelRegularizer: L2(0.001) });
    const s = serializeLayer(d);
    expect(s).toEqual({
      className: 'Dense',
      config: {
        name: 'dense',
        trainable: true,
        dtype: 'float32',
        batchInputShape: [null, 784],
        units: 10,
        activation: 'softmax',
        useBias: true,
        kernelInitializer: { className: 'GlorotUniform', config: { seed: null } },
        biasInitializer: { className: 'Zeros', config: {} },
        kernelRegularizer: { className: 'L2', config: { l2: 0.001 } },
        biasRegularizer: null,
        kernelConstraint: null,
        biasConstraint: null,
      },
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(Dense(2, { activation: { className: 'leaky_relu', config: { alpha: 0.3 } } }).getConfig().activation).toEqual({
      className: 'leaky_relu',
      config: { alpha: 0.3 },
    });
  });

  it('getConfig → JSON → deserializeLayer gives an equal config for every built-in', () => {
    const layers: Layer[] = [
      InputLayer({ inputShape: [3, 4] }),
      Dense(4, { activation: 'relu', useBias: false, kernelInitializer: 'he_normal', trainable: false, name: 'd' }),
      Flatten({ inputShape: [28, 28] }),
      Reshape([2, -1]),
      Activation('tanh'),
      Activation({ className: 'elu', config: { alpha: 0.5 } }),
      Dropout(0.25, { seed: 3, noiseShape: [null, 1] }),
      Maxout(3, { pieces: 4, kernelRegularizer: L1L2({ l1: 0.1 }) }),
      LeakyReLU({ alpha: 0.2 }),
      PReLU({ sharedAxes: [1], alphaInitializer: 'ones' }),
      ELU({ alpha: 0.5 }),
      Softmax({ axis: 1 }),
      ReLU({ maxValue: 6 }),
      Concatenate({ axis: 1 }),
      Add({ activityRegularizer: 'l2' }),
    ];
    for (const layer of layers) {
      const s = JSON.parse(JSON.stringify(serializeLayer(layer))) as ReturnType<typeof serializeLayer>;
      const back = deserializeLayer(s);
      expect(back.className).toBe(layer.className);
      expect(back.constructor).toBe(layer.constructor);
      expect(serializeLayer(back)).toEqual(serializeLayer(layer));
    }
  });

  it('a deserialized Dense computes the same with the same weights', () => {
    const d = Dense(3, { activation: 'sigmoid' });
    const x = T.randomNormal([2, 5], 0, 1, 'float32', 1);
    const y = d(x);
    const back = deserializeLayer(serializeLayer(d));
    back(x);
    back.setWeights(d.getWeights());
    expect(Array.from(back(x).dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('rejects unknown classes and malformed configs without evaluating anything', () => {
    expect(() => deserializeLayer({ className: 'Lambda', config: { fn: 'x => x' } })).toThrow(
      /Unknown layer class "Lambda". Known layer classes: InputLayer, Dense, /,
    );
    expect(() => deserializeLayer({ className: '__proto__', config: {} })).toThrow(/Unknown layer class/);
    expect(() => deserializeLayer({ className: 'Dense', config: [] as never })).toThrow(/config of Dense must be an object/);
    expect(() => deserializeLayer({ className: 'Dense', config: { units: '10' } })).toThrow(
      /cannot rebuild Dense from its config: .*units must be a positive integer, got "10"/,
    );
    expect(() => deserializeLayer({ className: 'Dense', config: { units: 2, kernelInitializer: { className: 'Nope', config: {} } } })).toThrow(
      /cannot rebuild Dense/,
    );
    expect(() => deserializeLayer({ className: 'Dense', config: { units: 2, evil: 1 } })).toThrow(/unknown option "evil"/);
    expect(() => deserializeLayer('Dense' as never)).toThrow(/expects \{ className: string, config: object \}/);
  });

  it('registerLayer makes a contributed class loadable', () => {
    class Twice extends Layer {
      static override readonly className = 'Twice';
      call(inputs: T.Tensor | T.Tensor[]): T.Tensor {
        return T.mul(inputs as T.Tensor, 2);
      }
      static fromConfig(config: LayerConfig): Twice {
        return new Twice(config as LayerOptions);
      }
    }
    registerLayer('Twice', Twice.fromConfig);
    expect(registry.has('Twice')).toBe(true);
    const back = deserializeLayer(serializeLayer(new Twice({ name: 'tw' })));
    expect(back.name).toBe('tw');
    expect(back(T.tensor1d([1, 2])).arraySync()).toEqual([2, 4]);
    expect(() => registerLayer('Dense', Twice.fromConfig)).toThrow(
      'registerLayer: "Dense" is the name of a built-in layer class ("Dense"); pass { override: true } to replace it',
    );
    expect(registry.keyOf(registry.get('Twice') as never)).toBe('Custom>Twice');
    registry.delete('Twice');
  });

  it('registerLayer(Class) in one call, Keras 3 package keys, one duplicate rule, a non-class refused', () => {
    class Thrice extends Layer {
      static override readonly className = 'Thrice';
      call(inputs: T.Tensor | T.Tensor[]): T.Tensor {
        return T.mul(inputs as T.Tensor, 3);
      }
    }
    expect(registerLayer(Thrice, { package: 'mylib' })).toBe('mylib>Thrice');
    try {
      // no static fromConfig: `new Thrice(config)`
      const back = deserializeLayer({ className: 'Thrice', config: { name: 'th' } });
      expect(back.name).toBe('th');
      expect(back(T.tensor1d([1])).arraySync()).toEqual([3]);
      expect(deserializeLayer({ className: 'mylib>Thrice', config: {} })).toBeInstanceOf(Thrice);
      expect(registerLayer(Thrice, { package: 'mylib' })).toBe('mylib>Thrice');
      class Other extends Thrice {}
      expect(() => registerLayer(Other as never, { package: 'mylib', name: 'Thrice' })).toThrow(
        'registerLayer: a layer class named "mylib>Thrice" is already registered; pass { override: true } to replace it',
      );
      expect(() => registerLayer({ className: 'Nope' } as never)).toThrow(
        /^registerLayer: expected a Layer subclass with a static className .* got \{"className":"Nope"\}/,
      );
      expect(() => registerLayer((() => 1) as never)).toThrow(/got a function/);
    } finally {
      registry.delete('mylib>Thrice');
    }
  });
});
