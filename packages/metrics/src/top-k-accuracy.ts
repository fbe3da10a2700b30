import { cast, greater, less, mul, oneHot, sum, tidy, type Tensor, argMax } from '@neurona/tensor';
import type { Metric } from './types';
import { fmt, sameShape, sparseLabels } from './shapes';
import { makeMetric } from './make-metric';
import { checkInt, checkKeys, checkName } from './validate';

// True class within the k best predictions, as TensorFlow's in_top_k: a class tied with the k-th
// best counts as inside. Counting the classes scored strictly higher needs no sort.
function inTopK(classes: Tensor, yPred: Tensor, k: number): Tensor {
  const depth = yPred.shape[yPred.rank - 1];
  const p = yPred.dtype === 'float32' ? yPred : cast(yPred, 'float32');
  const target = sum(mul(p, cast(oneHot(cast(classes, 'int32'), depth), 'float32')), -1, true);
  const higher = sum(cast(greater(p, target), 'float32'), -1);
  return cast(less(higher, k), 'float32');
}

/** Per-sample top-k accuracy for one-hot `yTrue`: 1 where the true class is among the k highest predictions. */
export function topKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  if (!sameShape(yTrue.shape, yPred.shape)) {
    throw new Error(
      `top_k_categorical_accuracy: yTrue and yPred must have the same shape, got yTrue ${fmt(yTrue.shape)} and yPred ${fmt(yPred.shape)}`,
    );
  }
  return tidy(() => inTopK(argMax(yTrue, -1), yPred, k));
}

/** Per-sample top-k accuracy for integer labels `yTrue` `[batch]`. */
export function sparseTopKCategoricalAccuracy(yTrue: Tensor, yPred: Tensor, k = 5): Tensor {
  return tidy(() => inTopK(sparseLabels('sparse_top_k_categorical_accuracy', yTrue, yPred), yPred, k));
}

/** Options of the top-k accuracies. */
export interface TopKOptions {
  /** How many of the best predictions may hold the true class; default 5. */
  k?: number;
  name?: string;
}

/** Top-k categorical accuracy (one-hot labels): `TopKCategoricalAccuracy({ k: 5 })`. */
export function TopKCategoricalAccuracy(options: TopKOptions = {}): Metric {
  const cls = 'TopKCategoricalAccuracy';
  checkKeys(cls, options, ['k', 'name']);
  const k = options.k === undefined ? 5 : checkInt(cls, 'k', options.k, 1);
  return makeMetric(cls, checkName(cls, options.name, 'top_k_categorical_accuracy'), { k }, (t, p) =>
    topKCategoricalAccuracy(t, p, k),
  );
}

/** Top-k accuracy for integer labels: `SparseTopKCategoricalAccuracy({ k: 5 })`. */
export function SparseTopKCategoricalAccuracy(options: TopKOptions = {}): Metric {
  const cls = 'SparseTopKCategoricalAccuracy';
  checkKeys(cls, options, ['k', 'name']);
  const k = options.k === undefined ? 5 : checkInt(cls, 'k', options.k, 1);
  return makeMetric(cls, checkName(cls, options.name, 'sparse_top_k_categorical_accuracy'), { k }, (t, p) =>
    sparseTopKCategoricalAccuracy(t, p, k),
  );
}
