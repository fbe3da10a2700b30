import { argMax, cast, equal, tidy, type Tensor } from '@neurona/tensor';
import type { Metric } from './types';
import { sparseLabels } from './shapes';
import { makeMetric } from './make-metric';
import { checkKeys, checkName } from './validate';

/** Per-sample accuracy for integer labels `yTrue` `[batch]` (or `[batch, 1]`): `yTrue == argMax(yPred)` → `[batch]`. */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  return tidy(() => {
    const labels = cast(sparseLabels('sparse_categorical_accuracy', yTrue, yPred), 'float32');
    return cast(equal(labels, cast(argMax(yPred, -1), 'float32')), 'float32');
  });
}

/** Sparse categorical accuracy (integer labels, softmax outputs). */
export function SparseCategoricalAccuracy(options: { name?: string } = {}): Metric {
  const cls = 'SparseCategoricalAccuracy';
  checkKeys(cls, options, ['name']);
  return makeMetric(cls, checkName(cls, options.name, 'sparse_categorical_accuracy'), {}, sparseCategoricalAccuracy);
}
