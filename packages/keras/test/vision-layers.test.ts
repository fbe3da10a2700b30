// The vision layers of issue 11 (part B) through the Keras translation: every config round trip
// (neurona → Keras JSON → neurona), configs as Keras 3 writes them, whole models through .keras
// and legacy .h5 bytes, and the per-class rules (LAYER_RULES).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import * as L from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Model, Sequential } from '@neurona/models';
import type { LayersModel } from '@neurona/models';
import { kerasModelBytes, legacyH5Bytes, loadKerasModel } from '../src';
import { layerConfigFromKeras, layerConfigToKeras } from '../src/config/layer-config';
import { maxAbsDiff } from './helpers';

beforeEach(() => L.resetNames());
afterEach(() => T.clearSeed());

/** Each new layer, built on an input of a shape it takes. */
function layers(): [Layer, number[]][] {
  return [
    [L.BatchNormalization({ momentum: 0.9, epsilon: 1e-4, center: false }), [2, 4, 3]],
    [L.BatchNormalization({ axis: 1 }), [2, 4, 3]],
    [L.LayerNormalization({ axis: [1, 2] }), [2, 4, 3]],
    [L.GroupNormalization({ groups: 2, scale: false }), [2, 3, 4]],
    [L.UnitNormalization({ axis: -1 }), [2, 3]],
    [L.ZeroPadding1D([1, 2]), [2, 3, 2]],
    [L.ZeroPadding2D([[1, 0], [0, 2]], { dataFormat: 'channels_first' }), [1, 2, 3, 3]],
    [L.ZeroPadding3D(1), [1, 2, 2, 2, 1]],
    [L.Cropping1D([1, 0]), [2, 4, 2]],
    [L.Cropping2D([[1, 0], [0, 1]]), [1, 3, 3, 2]],
    [L.Cropping3D(1, { dataFormat: 'channels_first' }), [1, 1, 3, 3, 3]],
    [L.UpSampling1D(3), [2, 2, 2]],
    [L.UpSampling2D([2, 1], { interpolation: 'bilinear' }), [1, 2, 2, 2]],
    [L.UpSampling3D([1, 2, 1], { dataFormat: 'channels_first' }), [1, 1, 2, 2, 2]],
    [L.Permute([2, 1]), [2, 3, 4]],
    [L.RepeatVector(3), [2, 4]],
    [L.Identity(), [2, 3]],
    [L.SpatialDropout1D(0.3, { seed: 1 }), [2, 3, 4]],
    [L.SpatialDropout2D(0.3, { dataFormat: 'channels_first' }), [1, 2, 3, 3]],
    [L.SpatialDropout3D(0.2), [1, 2, 2, 2, 2]],
    [L.GaussianNoise(0.1, { seed: 2 }), [2, 3]],
    [L.GaussianDropout(0.2), [2, 3]],
    [L.AlphaDropout(0.1, { noiseShape: [null, 1] }), [2, 3]],
    [L.ActivityRegularization({ l1: 0.01, l2: 0.02 }), [2, 3]],
    [L.Rescaling(1 / 255, { offset: -0.5 }), [1, 2, 2, 3]],
    [L.Resizing(4, 6, { interpolation: 'nearest', cropToAspectRatio: true }), [1, 3, 3, 2]],
    [L.CenterCrop(2, 2, { dataFormat: 'channels_first' }), [1, 2, 3, 3]],
    [L.RandomFlip('horizontal', { seed: 3 }), [1, 3, 3, 1]],
    [L.RandomRotation([-0.1, 0.2], { fillMode: 'constant', fillValue: 0.5, interpolation: 'nearest', seed: 4 }), [1, 3, 3, 1]],
    [L.RandomTranslation(0.1, [-0.2, 0.3], { fillMode: 'wrap' }), [1, 3, 3, 1]],
    [L.RandomZoom(0.2, [-0.1, 0.1], { seed: 5 }), [1, 3, 3, 1]],
    [L.RandomContrast([0.1, 0.3], { valueRange: [0, 1] }), [1, 3, 3, 1]],
    [L.RandomCrop(2, 2, { seed: 6 }), [1, 3, 3, 1]],
  ];
}

describe('the Keras translation of the vision layers', () => {
  it('every layer: getConfig → Keras JSON → neurona config gives the same layer', () => {
    for (const [layer, shape] of layers()) {
      const x = T.ones(shape);
      layer.apply(x).dispose();
      x.dispose();
      const keras = JSON.parse(JSON.stringify(layerConfigToKeras(layer))) as Record<string, never>;
      const back = L.deserializeLayer({ className: layer.className, config: layerConfigFromKeras(layer.className, keras, layer.className) });
      expect(back.getConfig(), layer.className).toEqual(layer.getConfig());
      // snake_case keys only, as Keras writes them
      for (const k of Object.keys(keras)) expect(k, `${layer.className}.${k}`).toMatch(/^[a-z0-9_]+$/);
      back.dispose();
      layer.dispose();
    }
  });

  it("the per-class rules: BatchNormalization's synchronized, LayerNormalization's rms_scaling, SpatialDropout without trainable", () => {
    const bn = L.BatchNormalization();
    expect(layerConfigToKeras(bn)).toMatchObject({ axis: -1, momentum: 0.99, epsilon: 0.001, synchronized: false, moving_mean_initializer: { class_name: 'Zeros' } });
    expect(layerConfigToKeras(L.LayerNormalization())).toMatchObject({ rms_scaling: false });
    const sd = layerConfigToKeras(L.SpatialDropout2D(0.5));
    expect(sd).not.toHaveProperty('trainable');
    expect(sd).toMatchObject({ rate: 0.5, data_format: 'channels_last' });
    expect(layerConfigToKeras(L.Dot([1, 2], { normalize: true }))).toMatchObject({ axes: [1, 2], normalize: true });
  });

  it('configs as Keras 3 writes them are read, Keras-only options at their inert values accepted, others refused by name', () => {
    const policy = { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' }, registered_name: null };
    const init = (cls: string) => ({ module: 'keras.initializers', class_name: cls, config: {}, registered_name: null });
    const bnKeras = {
      name: 'batch_normalization', trainable: true, dtype: policy, axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true,
      beta_initializer: init('Zeros'), gamma_initializer: init('Ones'), moving_mean_initializer: init('Zeros'), moving_variance_initializer: init('Ones'),
      beta_regularizer: null, gamma_regularizer: null, beta_constraint: null, gamma_constraint: null, synchronized: false,
      renorm: false, renorm_clipping: null, renorm_momentum: 0.99,
    };
    const bn = L.deserializeLayer({ className: 'BatchNormalization', config: layerConfigFromKeras('BatchNormalization', bnKeras as never, 'bn') }) as L.BatchNormalizationLayer;
    expect([bn.axis, bn.momentum, bn.epsilon, bn.center, bn.scale]).toEqual([-1, 0.99, 0.001, true, true]);
    bn.dispose();
    expect(() => layerConfigFromKeras('BatchNormalization', { ...bnKeras, synchronized: true } as never, 'bn')).toThrow(/BatchNormalization option synchronized = true is not supported by neurona/);
    expect(() => layerConfigFromKeras('BatchNormalization', { ...bnKeras, renorm: true } as never, 'bn')).toThrow(/option renorm = true is not supported/);
    const sd = layerConfigFromKeras('SpatialDropout2D', { rate: 0.25, seed: null, name: 'spatial_dropout2d', dtype: policy, data_format: 'channels_first' } as never, 'sd');
    expect(sd).toMatchObject({ rate: 0.25, dataFormat: 'channels_first' });
    const zp = layerConfigFromKeras('ZeroPadding2D', { name: 'zp', trainable: true, dtype: policy, padding: [[1, 1], [2, 2]], data_format: 'channels_last' } as never, 'zp');
    expect(zp).not.toHaveProperty('dataFormat');
    // a class without a data format refuses channels_first, as before
    expect(() => layerConfigFromKeras('Dense', { units: 2, data_format: 'channels_first' } as never, 'd')).toThrow(/Dense option dataFormat = "channels_first" is not supported/);
    const ln = layerConfigFromKeras('LayerNormalization', { axis: [1, 2], epsilon: 0.001, center: true, scale: true, rms_scaling: false } as never, 'ln');
    expect(ln).toEqual({ axis: [1, 2], epsilon: 0.001, center: true, scale: true });
    expect(() => layerConfigFromKeras('LayerNormalization', { rms_scaling: true } as never, 'ln')).toThrow(/rmsScaling = true is not supported/);
  });
});

async function sameModel(model: LayersModel, x: Tensor): Promise<void> {
  for (const bytes of [await kerasModelBytes(model), await legacyH5Bytes(model)]) {
    const back = await loadKerasModel(bytes);
    expect(back.layers.map((l) => [l.className, l.name])).toEqual(model.layers.map((l) => [l.className, l.name]));
    // Keras 3 keeps the input shape on an InputLayer, not on the first layer's config
    const config = (l: Layer) => {
      const { batchInputShape, ...rest } = l.getConfig();
      void batchInputShape;
      return rest;
    };
    back.layers.forEach((l, i) => expect(config(l), l.name).toEqual(config(model.layers[i])));
    const [a, b] = [model.predict(x) as Tensor, back.predict(x) as Tensor];
    expect(maxAbsDiff(await a.data(), await b.data())).toBeLessThan(1e-6);
    T.dispose([a, b]);
    back.dispose();
  }
}

describe('models of the vision layers through .keras and .h5 bytes', () => {
  it('an image Sequential (augmentation, padding, normalization, up-sampling) keeps its configs, weights and predictions', async () => {
    T.setSeed(7);
    const model = Sequential([
      L.Rescaling(1 / 255, { inputShape: [6, 6, 3] }),
      L.RandomFlip('horizontal', { seed: 1 }),
      L.RandomRotation(0.1, { seed: 2 }),
      L.ZeroPadding2D(1),
      L.Cropping2D([[1, 0], [0, 1]]),
      L.BatchNormalization({ momentum: 0.9 }),
      L.GroupNormalization({ groups: 3 }),
      L.UpSampling2D(2, { interpolation: 'bilinear' }),
      L.SpatialDropout2D(0.2),
      L.Resizing(5, 5),
      L.Flatten(),
      L.LayerNormalization(),
      L.Dense(4),
      L.UnitNormalization(),
    ]);
    const x = T.randomUniform([3, 6, 6, 3], 0, 255, 'float32', 1);
    // moving statistics away from their initial values, so the file must carry them
    await (async () => {
      model.compile({ loss: 'mse', optimizer: 'sgd' });
      const y = T.randomNormal([3, 4], 0, 1, 'float32', 2);
      await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
      y.dispose();
    })();
    await sameModel(model, x);
    model.dispose();
    x.dispose();
  });

  it('a functional model of merges (Multiply, Subtract, Average, Maximum, Minimum, Dot)', async () => {
    T.setSeed(8);
    const a = L.Input({ shape: [4], name: 'a' });
    const b = L.Input({ shape: [4], name: 'b' });
    const da = L.Dense(4, { name: 'da' })(a);
    const db = L.Dense(4, { name: 'db' })(b);
    const merged = L.Concatenate()([
      L.Multiply()([da, db]),
      L.Subtract()([da, db]),
      L.Average()([da, db, a]),
      L.Maximum()([da, db]),
      L.Minimum()([da, b]),
      L.Dot(1, { normalize: true })([da, db]),
    ]);
    const out = L.Dense(2, { name: 'out' })(L.RepeatVector(2)(merged));
    const model = Model({ inputs: [a, b], outputs: L.Permute([2, 1])(out), name: 'merges' });
    const xa = T.randomNormal([3, 4], 0, 1, 'float32', 3);
    const xb = T.randomNormal([3, 4], 0, 1, 'float32', 4);
    for (const bytes of [await kerasModelBytes(model), await legacyH5Bytes(model)]) {
      const back = await loadKerasModel(bytes);
      const [p, q] = [model.predict([xa, xb]) as Tensor, back.predict([xa, xb]) as Tensor];
      expect(maxAbsDiff(await p.data(), await q.data())).toBeLessThan(1e-6);
      T.dispose([p, q]);
      back.dispose();
    }
    model.dispose();
    T.dispose([xa, xb]);
  });

  it('a Sequential nested in a Sequential reads back from .keras and .h5 with the same predictions', async () => {
    T.setSeed(9);
    const base = Sequential([L.Dense(2, { inputShape: [3] }), L.BatchNormalization()]);
    const model = Sequential([base, L.Dense(1)]);
    const x = T.randomNormal([4, 3], 0, 1, 'float32', 3);
    for (const bytes of [await kerasModelBytes(model), await legacyH5Bytes(model)]) {
      const back = await loadKerasModel(bytes);
      expect(back.layers[0].className).toBe('Sequential');
      const [p, q] = [model.predict(x) as Tensor, back.predict(x) as Tensor];
      expect(maxAbsDiff(await p.data(), await q.data())).toBe(0);
      T.dispose([p, q]);
      back.dispose();
    }
    x.dispose();
    model.dispose();
  });
});
