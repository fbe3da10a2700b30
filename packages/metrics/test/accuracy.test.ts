import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as M from '../src/index';

const v = (t: T.Tensor) => Array.from(t.dataSync());

describe('accuracy metrics (values from the Keras definitions)', () => {
  const oneHot = T.tensor2d([[0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 1, 0]]);
  const probs = T.tensor2d([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1], [0.6, 0.3, 0.1], [0.2, 0.3, 0.5]]);

  it('categorical accuracy: per-sample function and mean metric', () => {
    expect(v(M.categoricalAccuracy(oneHot, probs))).toEqual([1, 0, 1, 0]);
    expect(v(M.CategoricalAccuracy()(oneHot, probs))).toEqual([0.5]);
    expect(M.CategoricalAccuracy()(oneHot, probs).shape).toEqual([]);
  });

  it('sparse categorical accuracy takes [batch] or [batch, 1] integer labels', () => {
    expect(v(M.sparseCategoricalAccuracy(T.tensor1d([2, 1, 0, 1], 'int32'), probs))).toEqual([1, 0, 1, 0]);
    expect(v(M.SparseCategoricalAccuracy()(T.tensor2d([[2], [0], [0], [2]]), probs))).toEqual([1]);
  });

  it('binary accuracy thresholds at 0.5 (configurable), per element then averaged', () => {
    const yt = T.tensor2d([[1], [0], [1], [0]]);
    const yp = T.tensor2d([[0.7], [0.4], [0.5], [0.6]]);
    expect(v(M.binaryAccuracy(yt, yp))).toEqual([1, 1, 0, 0]);
    expect(v(M.BinaryAccuracy({ threshold: 0.45 })(yt, yp))).toEqual([0.75]);
    // keras.metrics.binary_accuracy([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]) → [1, 1, 1, 0]
    expect(v(M.binaryAccuracy(T.tensor2d([[1], [1], [0], [0]]), T.tensor2d([[0.98], [1], [0], [0.6]])))).toEqual([1, 1, 1, 0]);
    // [batch] labels with [batch, 1] predictions, as Keras aligns them
    expect(v(M.BinaryAccuracy()(T.tensor1d([1, 0, 1, 0]), yp))).toEqual([0.5]);
  });

  it('top-k accuracy, ties with the k-th score count as inside (TensorFlow in_top_k)', () => {
    // Keras docs: top_k_categorical_accuracy([[0,0,1],[0,1,0]], [[0.1,0.9,0.8],[0.05,0.95,0]], k=1) → [0, 1]
    const yt = T.tensor2d([[0, 0, 1], [0, 1, 0]]);
    const yp = T.tensor2d([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]);
    expect(v(M.topKCategoricalAccuracy(yt, yp, 1))).toEqual([0, 1]);
    expect(v(M.TopKCategoricalAccuracy({ k: 2 })(yt, yp))).toEqual([1]);
    expect(v(M.sparseTopKCategoricalAccuracy(T.tensor1d([2, 1]), yp, 1))).toEqual([0, 1]);
    expect(v(M.topKCategoricalAccuracy(T.tensor2d([[1, 0, 0]]), T.tensor2d([[0.3, 0.3, 0.4]]), 2))).toEqual([1]);
  });

  it('shape mismatches name both shapes', () => {
    expect(() => M.categoricalAccuracy(T.tensor1d([0, 1, 2, 1]), probs)).toThrow(
      /categorical_accuracy: yTrue and yPred must have the same shape, got yTrue \[4\] and yPred \[4, 3\].*sparse_categorical_accuracy/,
    );
    expect(() => M.sparseCategoricalAccuracy(oneHot, probs)).toThrow(/got yTrue \[4, 3\].*one-hot/);
    expect(() => M.binaryAccuracy(T.tensor2d([[1, 0]]), T.tensor2d([[1, 0, 0]]))).toThrow(
      'binary_accuracy: yTrue and yPred must have the same shape, got yTrue [1, 2] and yPred [1, 3]',
    );
  });
});

describe('metrics.get', () => {
  it("'accuracy' resolves as Keras and keeps the user's name", () => {
    const cat = M.get('accuracy', { lossName: 'categorical_crossentropy', outputUnits: 10 });
    expect([cat.className, cat.name]).toEqual(['CategoricalAccuracy', 'accuracy']);
    const bin = M.get('accuracy', { lossName: 'binary_crossentropy' });
    expect([bin.className, bin.name]).toEqual(['BinaryAccuracy', 'accuracy']);
    expect(M.get('acc', { outputUnits: 1 }).className).toBe('BinaryAccuracy');
    expect(M.get('acc', { outputUnits: 1 }).name).toBe('acc');
    const sparse = M.get('accuracy', { lossName: 'SparseCategoricalCrossentropy' });
    expect(sparse.className).toBe('SparseCategoricalAccuracy');
    expect(M.get('accuracy', { lossName: 'sparseCategoricalCrossentropy' }).className).toBe('SparseCategoricalAccuracy');
    expect(M.get('accuracy').className).toBe('CategoricalAccuracy');
  });

  it('names, camelCase, class names, objects, functions and serialized forms', () => {
    expect(M.get('mae').name).toBe('mae');
    expect(M.get('mae').className).toBe('MeanAbsoluteError');
    expect(M.get('categoricalAccuracy').className).toBe('CategoricalAccuracy');
    expect(M.get('CategoricalAccuracy').name).toBe('categorical_accuracy');
    const m = M.TopKCategoricalAccuracy({ k: 3 });
    expect(M.get(m)).toBe(m);
    const s = M.serialize(m);
    expect(s).toEqual({ className: 'TopKCategoricalAccuracy', config: { name: 'top_k_categorical_accuracy', k: 3 } });
    expect(M.get(s).getConfig()).toEqual(s.config);
    const custom = M.get(function myMetric(t: T.Tensor, p: T.Tensor) {
      return T.mean(T.abs(T.sub(t, p)), -1);
    });
    expect([custom.className, custom.name]).toEqual(['MeanMetricWrapper', 'myMetric']);
    expect(v(custom(T.tensor2d([[1, 2]]), T.tensor2d([[2, 2]])))).toEqual([0.5]);
  });

  it('unknown names list the known ones; registerMetric adds one', () => {
    expect(() => M.get('acuracy')).toThrow(/Unknown metric "acuracy". Known metrics: .*accuracy.*categorical_accuracy/);
    const mine = M.MeanMetricWrapper((t, p) => T.mean(T.square(T.sub(t, p)), -1), { name: 'my_sq' });
    M.registerMetric('my_sq', mine);
    expect(M.get('my_sq')).toBe(mine);
  });

  it('bad configuration throws at construction', () => {
    expect(() => M.TopKCategoricalAccuracy({ k: 0 })).toThrow('TopKCategoricalAccuracy: k must be an integer >= 1, got 0');
    expect(() => M.BinaryAccuracy({ threshold: NaN })).toThrow('BinaryAccuracy: threshold must be a finite number, got NaN');
  });
});
