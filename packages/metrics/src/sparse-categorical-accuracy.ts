import { argMax, cast, equal, tidy, type Tensor } from '@neurona/tensor';
import type { MetricOptions } from './metric';
import { sparseLabels } from './shapes';
import { MeanMetricWrapperClass } from './wrapper';
import { checkKeys, checkName } from './validate';

/** Per-sample accuracy for integer labels `yTrue` `[batch]` (or `[batch, 1]`): `yTrue == argMax(yPred)` → `[batch]`. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const labels = cast(sparseLabels('sparse_categorical_accuracy', yTrue, yPred), 'float32');
    return cast(equal(labels, cast(argMax(yPred, -1), 'float32')), 'float32');
  });
}

/** Sparse categorical accuracy (state `[Σ w·hits, Σ w]`, as Keras's `SparseCategoricalAccuracy`). */
export class SparseCategoricalAccuracyMetric extends MeanMetricWrapperClass {
  static override readonly className: string = 'SparseCategoricalAccuracy';

  constructor(options: MetricOptions = {}) {
    const cls = 'SparseCategoricalAccuracy';
    checkKeys(cls, options, ['name']);
    super(sparseCategoricalAccuracy, { name: checkName(cls, options.name, 'sparse_categorical_accuracy') });
  }
}

/** The type of what `SparseCategoricalAccuracy()` returns. */
export type SparseCategoricalAccuracy = SparseCategoricalAccuracyMetric;

/** Sparse categorical accuracy (integer labels, softmax outputs). */
export function SparseCategoricalAccuracy(options: MetricOptions = {}): SparseCategoricalAccuracy {
  return new SparseCategoricalAccuracyMetric(options);
}
