// The preprocessing layers against independent references: NumPy statistics and Keras's
// quantile summaries (test/reference/preprocessing_reference.py), and a C transcription of
// FarmHash/SipHash (test/reference/hash_reference.c), plus Keras's documented examples.
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import {
  CategoryEncodingLayer,
  DiscretizationLayer,
  HashingLayer,
  IntegerLookupLayer,
  NormalizationLayer,
  StringLookupLayer,
  TextVectorizationLayer,
  fingerprint64,
  resetNames,
  runLayerTest,
  sipHash24,
} from '../src/index';

const ref = JSON.parse(readFileSync(new URL('./fixtures/preprocessing-reference.json', import.meta.url), 'utf8'));
const hashRef = JSON.parse(readFileSync(new URL('./fixtures/hash-reference.json', import.meta.url), 'utf8'));

beforeEach(() => resetNames());

const close = (got: ArrayLike<number>, want: number[], tol = 1e-5) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i])));
};

// A dataset-like async iterable of batches (what @neurona/data yields), recording disposal.
function batches(rows: number[][], size: number): AsyncIterable<T.Tensor> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < rows.length; i += size) yield T.tensor2d(rows.slice(i, i + size));
    },
  };
}

describe('hashes (FarmHash Fingerprint64, SipHash-2-4)', () => {
  const fromHex = (h: string) => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
  it('match the C reference on 301 lengths (every code path) and on words', () => {
    for (const r of hashRef.lengths) {
      const b = Uint8Array.from({ length: r.len }, (_, i) => (i * 131 + r.len * 7) & 255);
      expect(fingerprint64(b).toString(), `fp64 len ${r.len}`).toBe(r.fp64);
      expect(sipHash24([1n, 2n], b).toString(), `sip len ${r.len}`).toBe(r.sip_1_2);
    }
    for (const r of hashRef.strings) {
      expect(fingerprint64(fromHex(r.hex)).toString()).toBe(r.fp64);
      expect(sipHash24([133n, 137n], fromHex(r.hex)).toString()).toBe(r.sip_133_137);
    }
  });

  it("give Keras's documented Hashing ids", () => {
    const x = T.tensor([['A'], ['B'], ['C'], ['D'], ['E']], [5, 1], 'string');
    const fast = new HashingLayer({ numBins: 3 }).apply(x) as T.Tensor;
    expect(Array.from(fast.dataSync())).toEqual([1, 0, 1, 1, 2]);
    const strong = new HashingLayer({ numBins: 3, salt: [133, 137] }).apply(x) as T.Tensor;
    expect(Array.from(strong.dataSync())).toEqual([1, 2, 1, 0, 2]);
    const masked = new HashingLayer({ numBins: 3, maskValue: '' }).apply(T.tensor([['A'], ['B'], [''], ['C']], [4, 1], 'string')) as T.Tensor;
    expect(Array.from(masked.dataSync())).toEqual([1, 1, 0, 2]);
    T.dispose([x, fast, strong, masked]);
  });

  it('hashes numbers as their decimal strings (floats truncated), encodes, passes runLayerTest', async () => {
    const h = new HashingLayer({ numBins: 1000 });
    const ids = (v: T.Tensor) => {
      const y = h.apply(v) as T.Tensor;
      const out = Array.from(y.dataSync());
      T.dispose([v, y]);
      return out;
    };
    const fromStrings = ids(T.tensor(['42', '-7', '0'], [3], 'string'));
    expect(ids(T.tensor1d([42, -7, 0], 'int32'))).toEqual(fromStrings);
    expect(ids(T.tensor1d([42.9, -7.5, 0.2]))).toEqual(fromStrings);
    const fp = (s: string) => Number(fingerprint64(new TextEncoder().encode(s)) % 1000n);
    expect(fromStrings).toEqual(['42', '-7', '0'].map(fp));
    await runLayerTest({
      layer: HashingLayer,
      config: { numBins: 3, outputMode: 'multi_hot' },
      inputShape: [2, 2],
      inputData: T.tensor([['A', 'B'], ['E', 'E']], [2, 2], 'string'),
      expectedOutput: [1, 1, 0, 0, 0, 1],
      gradients: false,
    });
  });
});

describe('Normalization', () => {
  const r = ref.normalization;
  it('adapts to NumPy mean/variance from an array, a tensor and a dataset of batches', async () => {
    for (const data of [r.data, () => T.tensor2d(r.data), () => batches(r.data, 7)]) {
      const layer = new NormalizationLayer();
      const d = typeof data === 'function' ? data() : data;
      await layer.adapt(d);
      if (T.isTensor(d)) d.dispose();
      const [m, v] = layer.getWeights();
      close(m.dataSync(), r.mean, 1e-5);
      close(v.dataSync(), r.variance, 1e-5);
      const y = layer.apply(T.tensor2d(r.probe)) as T.Tensor;
      close(y.dataSync(), r.output.flat(), 1e-4);
      T.dispose([m, v, y]);
      layer.dispose();
    }
  });

  it('axis null (one mean), invert, given mean/variance, several axes', async () => {
    const all = new NormalizationLayer({ axis: null });
    await all.adapt(r.data);
    const [m] = all.getWeights();
    expect(m.shape).toEqual([]);
    close(m.dataSync(), [r.mean_all], 1e-5);
    const inv = new NormalizationLayer({ invert: true });
    await inv.adapt(batches(r.data, 16));
    const y = inv.apply(T.tensor2d(r.probe)) as T.Tensor;
    close(y.dataSync(), r.inverted.flat(), 1e-4);
    const given = new NormalizationLayer({ mean: 3, variance: 2 });
    const g = given.apply(T.tensor2d([[1], [2], [3]])) as T.Tensor;
    close(g.dataSync(), [-1.4142135, -0.70710677, 0], 1e-6);
    const ax = new NormalizationLayer({ axis: [1, 2] });
    await ax.adapt(ref.normalization_axes.data);
    const [m3, v3] = ax.getWeights();
    expect(m3.shape).toEqual([4, 2]);
    close(m3.dataSync(), ref.normalization_axes.mean_axis_1_2.flat(), 1e-5);
    close(v3.dataSync(), ref.normalization_axes.variance_axis_1_2.flat(), 1e-5);
    T.dispose([m, y, g, m3, v3]);
  });

  it('passes runLayerTest (statistics are non-trainable weights that round-trip)', async () => {
    await runLayerTest({
      layer: NormalizationLayer,
      config: { mean: [1, 2, 3], variance: [4, 1, 0.25] },
      inputShape: [2, 3],
      inputData: T.tensor2d([[1, 2, 3], [3, 0, 4]]),
      expectedOutput: [0, 0, 0, 1, -2, 2],
      expectedTrainableWeights: 0,
      expectedNonTrainableWeights: 0,
    });
    await runLayerTest({ layer: NormalizationLayer, config: { axis: -1 }, inputShape: [2, 3], expectedTrainableWeights: 0, expectedNonTrainableWeights: 3, supportsMasking: true });
  });

  it('clear errors: empty data, strings, mismatched shapes; nothing leaks', async () => {
    const before = T.memory().numTensors;
    const layer = new NormalizationLayer();
    await expect(layer.adapt([])).rejects.toThrow(/adapt\(\) got no data/);
    await expect(layer.adapt(batches([], 4))).rejects.toThrow(/no data/);
    await expect(layer.adapt([['a', 'b']])).rejects.toThrow(/expects numeric input, got strings/);
    await layer.adapt([[1, 2], [3, 4]]);
    await expect(layer.adapt([[1, 2, 3]])).rejects.toThrow(/was built for inputs \[2, 2\], adapt\(\) got data of shape \[1, 3\]/);
    const s = T.tensor([['a', 'b']], [1, 2], 'string');
    expect(() => layer.apply(s)).toThrow(/expects numeric input, got a string tensor/);
    s.dispose();
    expect(() => new NormalizationLayer({ mean: 1 })).toThrow(/both mean and variance/);
    layer.dispose();
    expect(T.memory().numTensors).toBe(before);
  });
});

describe('Discretization', () => {
  const r = ref.discretization;
  it("gives Keras's documented bins and boundaries", async () => {
    const fixed = new DiscretizationLayer({ binBoundaries: [0, 1, 2] });
    const y = fixed.apply(T.tensor2d(r.doc_input)) as T.Tensor;
    expect(y.dtype).toBe('int32');
    expect(Array.from(y.dataSync())).toEqual([0, 2, 3, 1, 1, 3, 2, 1]);
    const learned = new DiscretizationLayer({ numBins: 4, epsilon: 0.01 });
    await learned.adapt(r.doc_input);
    close(learned.binBoundaries as number[], r.doc_boundaries, 1e-7);
    const z = learned.apply(T.tensor2d(r.doc_input)) as T.Tensor;
    expect(Array.from(z.dataSync())).toEqual(r.doc_ids.flat());
    T.dispose([y, z]);
  });

  it("learns Keras's quantile boundaries in one batch, in streamed batches, with compression", async () => {
    const a = new DiscretizationLayer({ numBins: 5 });
    await a.adapt(r.big);
    close(a.binBoundaries as number[], r.big_boundaries_one_batch, 1e-6);
    const b = new DiscretizationLayer({ numBins: 5 });
    const rows = r.big as number[];
    await b.adapt({ async *[Symbol.asyncIterator]() { for (let i = 0; i < rows.length; i += 100) yield T.tensor1d(rows.slice(i, i + 100)); } });
    close(b.binBoundaries as number[], r.big_boundaries_batches_of_100, 1e-6);
    const c = new DiscretizationLayer({ numBins: 8, epsilon: 0.05 });
    await c.adapt(r.big);
    close(c.binBoundaries as number[], r.big_boundaries_eps_0_05, 1e-6);
  });

  it('encodes bins (one_hot, multi_hot, count) and passes runLayerTest', async () => {
    const oh = new DiscretizationLayer({ binBoundaries: [0, 1], outputMode: 'one_hot' });
    const y = oh.apply(T.tensor2d([[-1], [0.5], [3]])) as T.Tensor;
    expect(y.arraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const cnt = new DiscretizationLayer({ binBoundaries: [0, 1], outputMode: 'count' });
    const c = cnt.apply(T.tensor2d([[-1, 2, 3]])) as T.Tensor;
    expect(c.arraySync()).toEqual([[1, 0, 2]]);
    T.dispose([y, c]);
    await runLayerTest({ layer: DiscretizationLayer, config: { binBoundaries: [-1, 0, 1] }, inputShape: [2, 3], inputData: T.tensor2d([[-2, -0.5, 0.5], [1.5, 0, -1]]), expectedOutput: [0, 1, 2, 3, 2, 1], gradients: false, expectedTrainableWeights: 0 });
  });

  it('refuses calls before adapt and adapt with given boundaries', async () => {
    const l = new DiscretizationLayer({ numBins: 3 });
    const x = T.tensor2d([[1]]);
    expect(() => l.apply(x)).toThrow(/no bin boundaries yet: call adapt/);
    await expect(new DiscretizationLayer({ binBoundaries: [1] }).adapt([1, 2])).rejects.toThrow(/was given binBoundaries/);
    x.dispose();
  });
});

describe('CategoryEncoding', () => {
  it("matches Keras's examples and passes runLayerTest", async () => {
    const oh = new CategoryEncodingLayer({ numTokens: 4, outputMode: 'one_hot' });
    const a = oh.apply(T.tensor1d([3, 2, 0, 1], 'int32')) as T.Tensor;
    expect(a.arraySync()).toEqual([[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
    const mh = new CategoryEncodingLayer({ numTokens: 4 });
    const b = mh.apply(T.tensor2d([[0, 1], [0, 0], [1, 2], [3, 1]], undefined, 'int32')) as T.Tensor;
    expect(b.arraySync()).toEqual([[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
    const ct = new CategoryEncodingLayer({ numTokens: 4, outputMode: 'count' });
    const c = ct.apply(T.tensor2d([[0, 1], [0, 0], [1, 2], [3, 1]], undefined, 'int32')) as T.Tensor;
    expect(c.arraySync()).toEqual([[1, 1, 0, 0], [2, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]]);
    const bad = T.tensor1d([0, 4], 'int32');
    expect(() => oh.apply(bad)).toThrow(/0 <= values < numTokens \(4\), got values from 0 to 4/);
    T.dispose([a, b, c, bad]);
    await runLayerTest({ layer: CategoryEncodingLayer, config: { numTokens: 3, outputMode: 'count' }, inputShape: [2, 2], inputData: T.tensor2d([[0, 2], [2, 2]]), expectedOutput: [1, 0, 1, 0, 0, 2], expectedOutputShape: [2, 3], gradients: false });
  });
});

describe('StringLookup and IntegerLookup', () => {
  it('learn the vocabulary as Keras (by count, ties high to low), with maxTokens', async () => {
    const s = new StringLookupLayer();
    await s.adapt(ref.string_lookup.data);
    expect(s.getVocabulary()).toEqual(['[UNK]', ...ref.string_lookup.vocab]);
    const m = new StringLookupLayer({ maxTokens: 5 });
    await m.adapt(ref.string_lookup.data);
    expect(m.getVocabulary()).toEqual(['[UNK]', ...ref.string_lookup.vocab_max_5]);
    const i = new IntegerLookupLayer();
    await i.adapt(T.tensor1d(ref.integer_lookup.data, 'int32'));
    expect(i.getVocabulary()).toEqual([-1, ...ref.integer_lookup.vocab]);
  });

  it("Keras's documented lookups: OOV, mask, several OOV buckets, invert, multi_hot", async () => {
    const vocab = ['a', 'b', 'c', 'd'];
    const x = T.tensor([['a', 'c', 'd'], ['d', 'z', 'b']], [2, 3], 'string');
    const ids = (l: StringLookupLayer) => {
      const y = l.apply(x) as T.Tensor;
      const v = y.arraySync();
      y.dispose();
      return v;
    };
    expect(ids(new StringLookupLayer({ vocabulary: vocab }))).toEqual([[1, 3, 4], [4, 0, 2]]);
    expect(ids(new StringLookupLayer({ vocabulary: vocab, numOovIndices: 2 }))).toEqual([[2, 4, 5], [5, 1, 3]]);
    expect(ids(new StringLookupLayer({ vocabulary: vocab, outputMode: 'multi_hot' }))).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    expect(ids(new StringLookupLayer({ vocabulary: vocab, outputMode: 'count' }))).toEqual([[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]);
    const masked = new StringLookupLayer({ vocabulary: vocab, maskToken: '[MASK]' });
    expect(masked.getVocabulary()).toEqual(['[MASK]', '[UNK]', 'a', 'b', 'c', 'd']);
    const inv = new StringLookupLayer({ vocabulary: vocab, invert: true });
    const back = inv.apply(T.tensor2d([[1, 3, 4], [4, 0, 2]], undefined, 'int32')) as T.Tensor;
    expect(back.arraySync()).toEqual([['a', 'c', 'd'], ['d', '[UNK]', 'b']]);
    await runLayerTest({
      layer: IntegerLookupLayer,
      config: { vocabulary: [12, 36, 1138, 42], outputMode: 'count' },
      inputShape: [2, 3],
      inputData: T.tensor2d([[12, 12, 42], [7, 36, 36]], undefined, 'int32'),
      expectedOutput: [0, 2, 0, 0, 1, 1, 0, 2, 0, 0],
      gradients: false,
    });
    const il = new IntegerLookupLayer({ vocabulary: [12, 36, 1138, 42], numOovIndices: 2 });
    const iy = il.apply(T.tensor2d([[12, 1138, 42], [42, 1000, 36]], undefined, 'int32')) as T.Tensor;
    // floormod(1000, 2) = 0: the first OOV bucket
    expect(iy.arraySync()).toEqual([[2, 4, 5], [5, 0, 3]]);
    T.dispose([x, back, iy]);
  });

  it('clear errors and a config round trip that keeps the learned vocabulary', async () => {
    expect(() => new StringLookupLayer({ vocabulary: ['a', 'a'] })).toThrow(/repeats "a"/);
    expect(() => new StringLookupLayer({ vocabulary: ['a', 'm'], maskToken: 'm' })).toThrow(/mask token "m" is in the vocabulary/);
    const strict = new StringLookupLayer({ vocabulary: ['a'], numOovIndices: 0 });
    const x = T.tensor(['a', 'q'], [2], 'string');
    expect(() => strict.apply(x)).toThrow(/found "q"/);
    const nums = T.tensor1d([1, 2]);
    expect(() => new StringLookupLayer({ vocabulary: ['a'] }).apply(nums)).toThrow(/expects string input, got numbers/);
    const empty = new StringLookupLayer();
    expect(() => empty.apply(x)).toThrow(/no vocabulary yet/);
    await expect(empty.adapt([])).rejects.toThrow(/no data/);
    T.dispose([x, nums]);
    const s = new StringLookupLayer({ maxTokens: 5 });
    await s.adapt(ref.string_lookup.data);
    await runLayerTest({
      layer: StringLookupLayer,
      config: s.getConfig(),
      inputShape: [2, 2],
      inputData: T.tensor([['zz', 'b'], ['d', 'a']], [2, 2], 'string'),
      expectedOutput: [1, 2, 0, 3],
      gradients: false,
    });
  });
});

describe('TextVectorization', () => {
  const r = ref.text_vectorization;
  it('standardizes, splits and learns the vocabulary as Keras', async () => {
    const tv = new TextVectorizationLayer({ outputSequenceLength: 6 });
    expect(r.texts.map((t: string) => tv.tokenize(t))).toEqual(r.tokens);
    await tv.adapt(r.texts);
    expect(tv.getVocabulary()).toEqual(r.vocab);
    const y = tv.apply(T.tensor(r.probe, [2], 'string')) as T.Tensor;
    expect(y.dtype).toBe('int32');
    expect(y.arraySync()).toEqual(r.int_6);
    y.dispose();
  });

  it('tf_idf, multi_hot and n-grams', async () => {
    const tv = new TextVectorizationLayer({ outputMode: 'tf_idf' });
    await tv.adapt(T.tensor(r.texts, [4, 1], 'string'));
    close(tv.lookup.getIdfWeights()?.slice(1) ?? [], r.idf, 1e-6);
    const y = tv.apply(T.tensor(r.probe, [2], 'string')) as T.Tensor;
    close(y.dataSync(), r.tf_idf.flat(), 1e-5);
    const bi = new TextVectorizationLayer({ ngrams: 2 });
    await bi.adapt(r.texts.slice(0, 2));
    expect(bi.getVocabulary()).toEqual(r.bigram_vocab);
    const mh = new TextVectorizationLayer({ outputMode: 'multi_hot', vocabulary: ['the', 'fox'] });
    const z = mh.apply(T.tensor(['The fox', 'a cat'], [2], 'string')) as T.Tensor;
    expect(z.arraySync()).toEqual([[0, 1, 1], [1, 0, 0]]);
    T.dispose([y, z]);
  });

  it('streams a dataset in adapt, saves its vocabulary in the config, passes runLayerTest', async () => {
    const texts: string[] = r.texts;
    const tv = new TextVectorizationLayer({ outputSequenceLength: 6, maxTokens: 10 });
    await tv.adapt({ async *[Symbol.asyncIterator]() { for (const t of texts) yield T.tensor([t], [1], 'string'); } });
    expect(tv.getVocabulary()).toEqual(r.vocab.slice(0, 10));
    const report = await runLayerTest({
      layer: TextVectorizationLayer,
      config: tv.getConfig(),
      inputShape: [2],
      inputData: T.tensor(r.probe, [2], 'string'),
      expectedOutputShape: [2, 6],
      gradients: false,
    });
    expect(report.checks).toContain('config round trip');
  });

  it('refuses numbers, wrong shapes, empty data', async () => {
    const tv = new TextVectorizationLayer({ vocabulary: ['a'] });
    const n = T.tensor1d([1, 2]);
    expect(() => tv.apply(n)).toThrow(/expects string input, got a float32 tensor/);
    const wide = T.tensor([['a', 'b']], [1, 2], 'string');
    expect(() => tv.apply(wide)).toThrow(/shape \[batch\] or \[batch, 1\], got shape \[1, 2\]/);
    await expect(new TextVectorizationLayer().adapt([])).rejects.toThrow(/no data/);
    await expect(new TextVectorizationLayer().adapt([[1, 2]])).rejects.toThrow(/expects string input, got numbers/);
    T.dispose([n, wide]);
  });
});
