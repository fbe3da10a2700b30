// The text, preprocessing and attention layers through .keras files: the config of each new layer
// both ways, a model's round trip, MultiHeadAttention's weights in Keras's sublayer groups, and
// an adapted vocabulary read back from assets/ (where Keras writes it, with vocabulary: null).
import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  AdditiveAttentionLayer, AttentionLayer, CategoryEncodingLayer, Dense, DiscretizationLayer, EinsumDense, EinsumDenseLayer, Flatten,
  GroupedQueryAttentionLayer, HashingLayer, Input, IntegerLookupLayer, MultiHeadAttention, MultiHeadAttentionLayer, Normalization,
  NormalizationLayer, StringLookupLayer, TextVectorization, TextVectorizationLayer, deserializeLayer, resetNames,
} from '@neurona/layers';
import type { Layer } from '@neurona/layers';
import { Model } from '@neurona/models';
import { kerasModelBytes, loadKerasModel } from '../src';
import { layerConfigFromKeras, layerConfigToKeras } from '../src/config/layer-config';
import { readH5 } from '../src/h5/read';
import { at } from '../src/h5/tree';
import { extract, listZip } from '../src/zip/read';
import { zipStored } from '../src/zip/write';

function members(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(listZip(bytes, 'test').map((e) => [e.name, extract(bytes, e, 'test')]));
}

describe('Keras configs of the sequence and preprocessing layers', () => {
  const layers: Layer[] = [
    new NormalizationLayer({ axis: -1, mean: [1, 2], variance: [1, 4] }),
    new DiscretizationLayer({ binBoundaries: [0, 1], outputMode: 'one_hot' }),
    new CategoryEncodingLayer({ numTokens: 5, outputMode: 'count' }),
    new HashingLayer({ numBins: 7, salt: [1, 2], maskValue: '' }),
    new StringLookupLayer({ vocabulary: ['a', 'b'], maskToken: '' }),
    new IntegerLookupLayer({ vocabulary: [3, 9], numOovIndices: 2 }),
    new TextVectorizationLayer({ vocabulary: ['the', 'cat'], ngrams: 2, outputSequenceLength: 4 }),
    new EinsumDenseLayer('abc,cde->abde', { outputShape: [null, 2, 3], biasAxes: 'de' }),
    new MultiHeadAttentionLayer({ numHeads: 2, keyDim: 4, attentionAxes: [1] }),
    new GroupedQueryAttentionLayer({ headDim: 2, numQueryHeads: 4, numKeyValueHeads: 2, slidingWindow: 3 }),
    new AttentionLayer({ useScale: true, scoreMode: 'concat' }),
    new AdditiveAttentionLayer({ dropout: 0.1 }),
  ];
  for (const l of layers) {
    it(`${l.className}: neurona → Keras → neurona keeps the config`, () => {
      const keras = layerConfigToKeras(l);
      expect(Object.keys(keras).every((k) => k === k.toLowerCase())).toBe(true);
      const back = layerConfigFromKeras(l.className, JSON.parse(JSON.stringify(keras)), 'test');
      const rebuilt = deserializeLayer({ className: l.className, config: back });
      expect(rebuilt.getConfig()).toEqual(l.getConfig());
    });
  }

  it("Discretization is written without `trainable` (Keras's constructor refuses it); StringLookup with oov_method", () => {
    expect(layerConfigToKeras(new DiscretizationLayer({ binBoundaries: [1] }))).not.toHaveProperty('trainable');
    expect(layerConfigToKeras(new StringLookupLayer({ vocabulary: ['a'] })).oov_method).toBe('floormod');
    expect(() => layerConfigFromKeras('StringLookup', { vocabulary: ['a'], oov_method: 'farmhash' }, 'test')).toThrow(/oovMethod/);
  });
});

describe('.keras round trips', () => {
  it('an attention model: MultiHeadAttention weights in query_dense/key_dense/value_dense/output_dense groups', async () => {
    resetNames();
    const x = Input({ shape: [5, 8] });
    const n = Normalization({ mean: 0.5, variance: 2, axis: null }).apply(x);
    const a = MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply([n, n]);
    const e = EinsumDense('abc,cd->abd', { outputShape: [null, 3], biasAxes: 'd' }).apply(a);
    const model = Model({ inputs: x, outputs: Dense(1).apply(Flatten().apply(e)) });
    const bytes = await kerasModelBytes(model);
    const files = members(bytes);
    const h5 = await readH5(files.get('model.weights.h5') as Uint8Array, 'w');
    for (const g of ['query_dense', 'key_dense', 'value_dense', 'output_dense']) {
      expect(at(h5, `layers/multi_head_attention/${g}/vars/0`)?.kind, g).toBe('dataset');
      expect(at(h5, `layers/multi_head_attention/${g}/vars/1`)?.kind, g).toBe('dataset');
    }
    const back = await loadKerasModel(bytes);
    const input = T.randomNormal([2, 5, 8], 0, 1, 'float32', 4);
    const [p, q] = [model.predict(input) as T.Tensor, back.predict(input) as T.Tensor];
    const d = T.max(T.abs(T.sub(p, q))).dataSync()[0];
    expect(d).toBeLessThan(1e-6);
    T.dispose([input, p, q]);
    model.dispose();
    back.dispose();
  });

  it('an adapted TextVectorization: vocabulary in the config, or in assets/ as Keras writes it', async () => {
    resetNames();
    const texts = ['the cat sat', 'the dog sat', 'a cat ran'];
    const tv = TextVectorization({ outputMode: 'multi_hot' });
    await tv.adapt(texts);
    const inp = Input({ shape: [], dtype: 'string' });
    const model = Model({ inputs: inp, outputs: Dense(2).apply(tv.apply(inp)) });
    const bytes = await kerasModelBytes(model);
    const input = T.tensor(['the cat ran', 'a dog'], [2], 'string');
    const want = model.predict(input) as T.Tensor;
    const fromConfig = await loadKerasModel(bytes);
    const got1 = fromConfig.predict(input) as T.Tensor;
    expect(Array.from(got1.dataSync())).toEqual(Array.from(want.dataSync()));
    // what Keras writes for an adapted layer: vocabulary null in the config, the terms in assets/
    const files = members(bytes);
    const config = JSON.parse(new TextDecoder().decode(files.get('config.json')));
    const entry = config.config.layers.find((l: { class_name: string }) => l.class_name === 'TextVectorization');
    entry.config.vocabulary = null;
    const vocab = tv.getVocabulary().join('\n');
    const rebuilt = zipStored([
      { name: 'metadata.json', data: files.get('metadata.json') as Uint8Array },
      { name: 'config.json', data: new TextEncoder().encode(JSON.stringify(config)) },
      { name: 'model.weights.h5', data: files.get('model.weights.h5') as Uint8Array },
      { name: 'assets/layers/text_vectorization/vocabulary.txt', data: new TextEncoder().encode(vocab) },
    ]);
    const fromAssets = await loadKerasModel(rebuilt);
    expect((fromAssets.layers.find((l) => l.className === 'TextVectorization') as TextVectorizationLayer).getVocabulary()).toEqual(tv.getVocabulary());
    const got2 = fromAssets.predict(input) as T.Tensor;
    expect(Array.from(got2.dataSync())).toEqual(Array.from(want.dataSync()));
    T.dispose([input, want, got1, got2]);
    for (const m of [model, fromConfig, fromAssets]) m.dispose();
  });
});
