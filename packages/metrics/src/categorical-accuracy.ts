import { argMax, cast, equal, tidy, type Tensor } from '@neurona/tensor';
import type { Metric } from './types';
import { fmt, sameShape } from './shapes';
import { makeMetric } from './make-metric';
import { checkKeys, checkName } from './validate';

/** Per-sample categorical accuracy for one-hot `yTrue`: `argMax(yTrue) == argMax(yPred)` → `[batch]` of 0/1. */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  if (!sameShape(yTrue.shape, yPred.shape) || yPred.rank < 1) {
    const sparse = yTrue.rank + 1 === yPred.rank || (yTrue.rank === yPred.rank && yTrue.shape[yTrue.rank - 1] === 1);
    throw new Error(
      `categorical_accuracy: yTrue and yPred must have the same shape, got yTrue ${fmt(yTrue.shape)} and ` +
        `yPred ${fmt(yPred.shape)}` +
        (sparse ? '. yTrue looks like integer labels: use sparse_categorical_accuracy' : ''),
    );
  }
  return tidy(() => cast(equal(argMax(yTrue, -1), argMax(yPred, -1)), 'float32'));
}

/** Categorical accuracy (one-hot labels, softmax outputs). */
export function CategoricalAccuracy(options: { name?: string } = {}): Metric {
  checkKeys('CategoricalAccuracy', options, ['name']);
  return makeMetric('CategoricalAccuracy', checkName('CategoricalAccuracy', options.name, 'categorical_accuracy'), {}, categoricalAccuracy);
}
