// The convolution and pooling layers through the Keras JSON translation: each writes the keys
// Keras 3's get_config writes for its class (keras/src/layers/convolutional, pooling), reads
// back into the same layer, and a convnet saved as .keras and as legacy .h5 predicts the same
// after loading.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memory, randomNormal, setSeed } from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import * as L from '@neurona/layers';
import { Input, deserializeLayer, resetNames } from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Sequential, loadModel, saveModel } from '@neurona/models';
import { Adam } from '@neurona/optimizers';
import { loadKerasModel, saveKerasModel } from '../src';
import { layerConfigFromKeras, layerConfigToKeras } from '../src/config/layer-config';
import { maxAbsDiff } from './helpers';

const BASE = ['name', 'trainable', 'dtype'];
const CONV_BASE = ['kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', 'activation', 'use_bias', 'bias_initializer', 'bias_regularizer', 'activity_regularizer', 'bias_constraint'];
const KERNEL = ['kernel_initializer', 'kernel_regularizer', 'kernel_constraint'];
const DEPTHWISE = ['depthwise_initializer', 'depthwise_regularizer', 'depthwise_constraint'];
const POINTWISE = ['pointwise_initializer', 'pointwise_regularizer', 'pointwise_constraint'];

/** [a layer, the input shape (no batch) to build it on, the keys Keras 3's get_config writes]. */
const CASES: [() => Layer, number[], string[]][] = [
  [() => L.Conv1D(4, 3, { padding: 'causal', dilationRate: 2 }), [9, 2], [...CONV_BASE, 'filters', 'groups', ...KERNEL]],
  [() => L.Conv2D(6, [3, 2], { strides: 2, padding: 'same', groups: 2, activation: 'relu' }), [8, 8, 4], [...CONV_BASE, 'filters', 'groups', ...KERNEL]],
  [() => L.Conv3D(3, 2, { kernelRegularizer: L.L2(0.01) }), [4, 4, 4, 2], [...CONV_BASE, 'filters', 'groups', ...KERNEL]],
  [() => L.Conv1DTranspose(2, 3, { strides: 2, outputPadding: 1 }), [5, 3], [...CONV_BASE, 'filters', 'output_padding', ...KERNEL]],
  [() => L.Conv2DTranspose(4, 3, { strides: 2, padding: 'same' }), [5, 5, 2], [...CONV_BASE, 'filters', 'output_padding', ...KERNEL]],
  [() => L.Conv3DTranspose(2, 2, { useBias: false }), [3, 3, 3, 1], [...CONV_BASE, 'filters', 'output_padding', ...KERNEL]],
  [() => L.DepthwiseConv1D(3, { depthMultiplier: 2 }), [7, 3], [...CONV_BASE, 'depth_multiplier', ...DEPTHWISE]],
  [() => L.DepthwiseConv2D(3, { depthMultiplier: 2, padding: 'same' }), [6, 6, 3], [...CONV_BASE, 'depth_multiplier', ...DEPTHWISE]],
  [() => L.SeparableConv1D(4, 3), [7, 3], [...CONV_BASE, 'filters', 'depth_multiplier', ...DEPTHWISE, ...POINTWISE]],
  [() => L.SeparableConv2D(4, 3, { activation: 'elu' }), [6, 6, 3], [...CONV_BASE, 'filters', 'depth_multiplier', ...DEPTHWISE, ...POINTWISE]],
  ...(['Max', 'Average'] as const).flatMap((kind) =>
    ([[1, [8, 2]], [2, [6, 6, 2]], [3, [4, 4, 4, 2]]] as const).map(([r, shape]): [() => Layer, number[], string[]] => [
      () => (L as unknown as Record<string, (o: object) => Layer>)[`${kind}Pooling${r}D`]({ poolSize: 2, padding: 'same' }),
      [...shape],
      ['pool_size', 'padding', 'strides', 'data_format'],
    ]),
  ),
  ...(['Max', 'Average'] as const).flatMap((kind) =>
    ([[1, [8, 2]], [2, [6, 6, 2]], [3, [4, 4, 4, 2]]] as const).map(([r, shape]): [() => Layer, number[], string[]] => [
      () => (L as unknown as Record<string, (o: object) => Layer>)[`Global${kind}Pooling${r}D`]({ keepdims: r === 2 }),
      [...shape],
      ['data_format', 'keepdims'],
    ]),
  ),
];

describe('vision layers through the Keras JSON translation', () => {
  for (const [make, shape, keys] of CASES) {
    const probe = make();
    it(`${probe.className}: Keras 3's keys, and back to the same layer`, () => {
      resetNames();
      const layer = make();
      layer.apply(Input({ shape }));
      const keras = layerConfigToKeras(layer, { dropInputShape: true });
      expect(new Set(Object.keys(keras))).toEqual(new Set([...BASE, ...keys]));
      expect(Object.keys(keras).length).toBe(BASE.length + keys.length);
      const back = deserializeLayer({ className: layer.className, config: layerConfigFromKeras(layer.className, JSON.parse(JSON.stringify(keras)), 'test') });
      expect(back.getConfig()).toEqual(layer.getConfig());
      back.apply(Input({ shape }));
      expect(back.weights.map((w) => w.shape)).toEqual(layer.weights.map((w) => w.shape));
      layer.dispose();
      back.dispose();
    });
    probe.dispose();
  }

  it("Keras's simple MNIST convnet survives .keras and legacy .h5 files: same predictions, same optimizer state", async () => {
    resetNames();
    setSeed(11);
    const before = memory().numTensors;
    const dir = mkdtempSync(join(tmpdir(), 'neurona-keras-vision-'));
    try {
      const m = Sequential();
      m.add(Input({ shape: [12, 12, 1] }));
      m.add(L.Conv2D(4, 3, { activation: 'relu' }));
      m.add(L.MaxPooling2D({ poolSize: 2 }));
      m.add(L.SeparableConv2D(6, 3, { padding: 'same', activation: 'relu' }));
      m.add(L.GlobalAveragePooling2D());
      m.add(L.Dropout(0.5));
      m.add(L.Dense(3, { activation: 'softmax' }));
      m.compile({ loss: 'categorical_crossentropy', optimizer: Adam(0.01) });
      const x = randomNormal([6, 12, 12, 1]);
      const raw = randomNormal([6, 3]);
      const y = raw.softmax();
      raw.dispose();
      await m.fit(x, y, { epochs: 1, batchSize: 3, verbose: 0 });
      const p = m.predict(x) as Tensor;
      const want = await p.data();
      p.dispose();
      await saveKerasModel(m, join(dir, 'cnn.keras'));
      const back = await loadKerasModel(join(dir, 'cnn.keras'));
      const got = back.predict(x) as Tensor;
      expect(maxAbsDiff(await got.data(), want)).toBe(0);
      expect(back.layers.map((l) => l.className)).toEqual(m.layers.map((l) => l.className));
      expect(back.optimizer?.iterations).toBe(m.optimizer?.iterations);
      await saveModel(m, join(dir, 'cnn.h5'));
      const legacy = await loadModel(join(dir, 'cnn.h5'));
      const got2 = legacy.predict(x) as Tensor;
      expect(maxAbsDiff(await got2.data(), want)).toBe(0);
      for (const t of [x, y, got, got2]) t.dispose();
      for (const mm of [m, back, legacy]) mm.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(memory().numTensors).toBe(before);
  });
});
