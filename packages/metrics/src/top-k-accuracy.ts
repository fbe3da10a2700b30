import { cast, greater, less, mul, oneHot, sum, tidy, type Tensor, argMax } from '@neurona/tensor';
import type { MetricFunction } from './types';
import { fmt, sameShape, sparseLabels } from './shapes';
import { MeanMetricWrapperClass } from './wrapper';
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

function topKArgs(cls: string, defaultName: string, options: TopKOptions): { k: number; name: string } {
  checkKeys(cls, options, ['k', 'name']);
  const k = options.k === undefined ? 5 : checkInt(cls, 'k', options.k, 1);
  return { k, name: checkName(cls, options.name, defaultName) };
}

function withK(fn: (t: Tensor, p: Tensor, k: number) => Tensor, k: number): MetricFunction {
  return (t, p) => fn(t, p, k);
}

/** Top-k categorical accuracy (state `[Σ w·hits, Σ w]`, as Keras's `TopKCategoricalAccuracy`). */
export class TopKCategoricalAccuracyMetric extends MeanMetricWrapperClass {
  static override readonly className: string = 'TopKCategoricalAccuracy';
  /** How many of the best predictions may hold the true class. */
  readonly k: number;

  constructor(options: TopKOptions = {}) {
    const { k, name } = topKArgs('TopKCategoricalAccuracy', 'top_k_categorical_accuracy', options);
    super(withK(topKCategoricalAccuracy, k), { name }, { k });
    this.k = k;
  }
}

/** The type of what `TopKCategoricalAccuracy()` returns. */
export type TopKCategoricalAccuracy = TopKCategoricalAccuracyMetric;

/** Top-k categorical accuracy (one-hot labels): `TopKCategoricalAccuracy({ k: 5 })`. */
export function TopKCategoricalAccuracy(options: TopKOptions = {}): TopKCategoricalAccuracy {
  return new TopKCategoricalAccuracyMetric(options);
}

/** Sparse top-k accuracy (state `[Σ w·hits, Σ w]`, as Keras's `SparseTopKCategoricalAccuracy`). */
export class SparseTopKCategoricalAccuracyMetric extends MeanMetricWrapperClass {
  static override readonly className: string = 'SparseTopKCategoricalAccuracy';
  /** How many of the best predictions may hold the true class. */
  readonly k: number;

  constructor(options: TopKOptions = {}) {
    const { k, name } = topKArgs('SparseTopKCategoricalAccuracy', 'sparse_top_k_categorical_accuracy', options);
    super(withK(sparseTopKCategoricalAccuracy, k), { name }, { k });
    this.k = k;
  }
}

/** The type of what `SparseTopKCategoricalAccuracy()` returns. */
export type SparseTopKCategoricalAccuracy = SparseTopKCategoricalAccuracyMetric;

/** Top-k accuracy for integer labels: `SparseTopKCategoricalAccuracy({ k: 5 })`. */
export function SparseTopKCategoricalAccuracy(options: TopKOptions = {}): SparseTopKCategoricalAccuracy {
  return new SparseTopKCategoricalAccuracyMetric(options);
}
