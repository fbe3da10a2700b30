import { argMax, cast, equal, tidy, type Tensor } from '@neurona/tensor';
import type { MetricOptions } from './metric';
import { fmt, sameShape } from './shapes';
import { MeanMetricWrapperClass } from './wrapper';
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

/** Categorical accuracy (state `[Σ w·hits, Σ w]`, as Keras's `CategoricalAccuracy`). */
export class CategoricalAccuracyMetric extends MeanMetricWrapperClass {
  static override readonly className: string = 'CategoricalAccuracy';

  constructor(options: MetricOptions = {}) {
    checkKeys('CategoricalAccuracy', options, ['name']);
    super(categoricalAccuracy, { name: checkName('CategoricalAccuracy', options.name, 'categorical_accuracy') });
  }
}

/** The type of what `CategoricalAccuracy()` returns. */
export type CategoricalAccuracy = CategoricalAccuracyMetric;

/** Categorical accuracy (one-hot labels, softmax outputs). */
export function CategoricalAccuracy(options: MetricOptions = {}): CategoricalAccuracy {
  return new CategoricalAccuracyMetric(options);
}
