// A model of the new families (Conv2D, MaxPooling2D, BatchNormalization, Embedding with maskZero, Bidirectional LSTM,
// MultiHeadAttention, GRU, a nested Sequential) saved by neurona to .keras and to legacy .h5 and
// read back: the same predictions, and a .keras weights file with the paths saving_lib writes
// (keras/src/saving/saving_lib.py: a layer's own `vars` under layers/<snake class>[_n], a
// recurrent layer's in its `cell`, Bidirectional's under forward_layer/ and backward_layer/, the
// attention projections under query_dense/..., a nested model's layers under its own layers/).
import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import * as L from '@neurona/layers';
import { Model, Sequential } from '@neurona/models';
import type { LayersModel } from '@neurona/models';
import { kerasModelBytes, legacyH5Bytes, loadKerasModel } from '../src';
import { readH5 } from '../src/h5/read';
import type { H5Group } from '../src/h5/tree';
import { extract, listZip } from '../src/zip/read';
import { maxAbsDiff } from './helpers';

function tree(g: H5Group, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, c] of g.children) {
    const p = prefix ? `${prefix}/${name}` : name;
    if (c.kind === 'group') out.push(...(c.children.size === 0 ? [`${p}/`] : []), ...tree(c, p));
    else out.push(`${p} ${c.dtype} [${c.shape.join(', ')}]`);
  }
  return out;
}

function build(): LayersModel {
  L.resetNames();
  T.setSeed(13);
  const image = L.Input({ shape: [4, 4, 2], name: 'image' });
  const conv = L.Conv2D(3, 3, { padding: 'same', activation: 'relu' }).apply(image);
  const features = L.Flatten().apply(L.MaxPooling2D(2).apply(conv));
  const head = Sequential({ layers: [L.Dense(8, { inputShape: [12], activation: 'relu' }), L.BatchNormalization(), L.Dense(4)], name: 'head' });
  const ids = L.Input({ shape: [5], name: 'ids' });
  const e = L.Embedding(20, 8, { maskZero: true }).apply(ids);
  const b = L.Bidirectional(L.LSTM(4, { returnSequences: true })).apply(e);
  const a = L.MultiHeadAttention({ numHeads: 2, keyDim: 3 }).apply([b, b]);
  const g = L.GRU(3).apply(a);
  const merged = L.Concatenate().apply([head.apply(features) as L.SymbolicTensor, g as L.SymbolicTensor]);
  return Model({ inputs: [image, ids], outputs: L.Dense(2, { activation: 'softmax' }).apply(merged), name: 'families' });
}

const inputs = (): Tensor[] => [
  T.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 5),
  T.tensor([[3, 1, 4, 0, 0], [11, 5, 9, 2, 6], [0, 0, 0, 0, 0]], [3, 5], 'int32'),
];

describe('a model of the new families through .keras and .h5', () => {
  it('reads back with identical predictions from both formats, with no tensor leaked', async () => {
    const model = build();
    // moving statistics away from their initial values, so the files must carry them
    model.compile({ loss: 'categoricalCrossentropy', optimizer: 'adam' });
    const x = inputs();
    const y = T.oneHot(T.tensor([0, 1, 1], [3], 'int32'), 2);
    await model.fit(x, y, { epochs: 2, batchSize: 3, verbose: 0 });
    const before = T.memory().numTensors;
    const want = model.predict(x) as Tensor;
    for (const bytes of [await kerasModelBytes(model), await legacyH5Bytes(model)]) {
      const back = await loadKerasModel(bytes);
      expect(back.layers.map((l) => l.className)).toEqual(model.layers.map((l) => l.className));
      const got = back.predict(x) as Tensor;
      expect(maxAbsDiff(await got.data(), await want.data())).toBe(0);
      got.dispose();
      back.dispose();
    }
    want.dispose();
    expect(T.memory().numTensors).toBe(before);
    T.dispose([...x, y]);
    model.dispose();
  });

  it("the .keras weights file has saving_lib's paths, dtypes and shapes", async () => {
    const model = build();
    const bytes = await kerasModelBytes(model, { includeOptimizer: false });
    const members = new Map(listZip(bytes, 't').map((m) => [m.name, extract(bytes, m, 't')]));
    const h5 = await readH5(members.get('model.weights.h5') as Uint8Array, 't');
    expect(new Set(tree(h5))).toEqual(
      new Set([
        'layers/input_layer/vars/',
        'layers/input_layer_1/vars/',
        'layers/embedding/vars/0 float32 [20, 8]',
        'layers/conv2d/vars/0 float32 [3, 3, 2, 3]',
        'layers/conv2d/vars/1 float32 [3]',
        'layers/max_pooling2d/vars/',
        'layers/flatten/vars/',
        'layers/bidirectional/vars/',
        'layers/bidirectional/forward_layer/vars/',
        'layers/bidirectional/forward_layer/cell/vars/0 float32 [8, 16]',
        'layers/bidirectional/forward_layer/cell/vars/1 float32 [4, 16]',
        'layers/bidirectional/forward_layer/cell/vars/2 float32 [16]',
        'layers/bidirectional/backward_layer/vars/',
        'layers/bidirectional/backward_layer/cell/vars/0 float32 [8, 16]',
        'layers/bidirectional/backward_layer/cell/vars/1 float32 [4, 16]',
        'layers/bidirectional/backward_layer/cell/vars/2 float32 [16]',
        'layers/multi_head_attention/vars/',
        'layers/multi_head_attention/query_dense/vars/0 float32 [8, 2, 3]',
        'layers/multi_head_attention/query_dense/vars/1 float32 [2, 3]',
        'layers/multi_head_attention/key_dense/vars/0 float32 [8, 2, 3]',
        'layers/multi_head_attention/key_dense/vars/1 float32 [2, 3]',
        'layers/multi_head_attention/value_dense/vars/0 float32 [8, 2, 3]',
        'layers/multi_head_attention/value_dense/vars/1 float32 [2, 3]',
        'layers/multi_head_attention/output_dense/vars/0 float32 [2, 3, 8]',
        'layers/multi_head_attention/output_dense/vars/1 float32 [8]',
        'layers/sequential/vars/',
        'layers/sequential/layers/dense/vars/0 float32 [12, 8]',
        'layers/sequential/layers/dense/vars/1 float32 [8]',
        'layers/sequential/layers/batch_normalization/vars/0 float32 [8]',
        'layers/sequential/layers/batch_normalization/vars/1 float32 [8]',
        'layers/sequential/layers/batch_normalization/vars/2 float32 [8]',
        'layers/sequential/layers/batch_normalization/vars/3 float32 [8]',
        'layers/sequential/layers/dense_1/vars/0 float32 [8, 4]',
        'layers/sequential/layers/dense_1/vars/1 float32 [4]',
        'layers/gru/vars/',
        'layers/gru/cell/vars/0 float32 [8, 9]',
        'layers/gru/cell/vars/1 float32 [3, 9]',
        'layers/gru/cell/vars/2 float32 [2, 9]',
        'layers/concatenate/vars/',
        'layers/dense/vars/0 float32 [7, 2]',
        'layers/dense/vars/1 float32 [2]',
        'vars/',
      ]),
    );
    // the nested model's entry as Keras serializes a model used as a layer
    const config = JSON.parse(new TextDecoder().decode(members.get('config.json'))) as { config: { layers: Record<string, unknown>[] } };
    const nested = config.config.layers.find((l) => l.class_name === 'Sequential') as Record<string, unknown>;
    expect(nested).toMatchObject({ module: 'keras', class_name: 'Sequential', registered_name: null, name: 'head', build_config: { input_shape: [null, 12] } });
    const inner = (nested.config as { layers: { class_name: string }[] }).layers.map((l) => l.class_name);
    expect(inner).toEqual(['InputLayer', 'Dense', 'BatchNormalization', 'Dense']);
    expect(nested.inbound_nodes).toEqual([{ args: [{ class_name: '__keras_tensor__', config: { shape: [null, 12], dtype: 'float32', keras_history: ['flatten', 0, 0] } }], kwargs: {} }]);
    model.dispose();
  });
});
