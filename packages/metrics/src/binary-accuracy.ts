import { cast, equal, greater, mean, tidy, type Tensor } from '@neurona/tensor';
import { alignPair } from './shapes';
import { MeanMetricWrapperClass } from './wrapper';
import { checkFinite, checkKeys, checkName } from './validate';

/** Per-sample binary accuracy: the fraction of `yTrue == (yPred > threshold)` over the last axis → `[batch]`. */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor, threshold = 0.5): Tensor {
  return tidy(() => {
    const [t, p] = alignPair('binary_accuracy', yTrue, yPred);
    return mean(cast(equal(t, cast(greater(p, threshold), 'float32')), 'float32'), -1);
  });
}

/** Options of `BinaryAccuracy`. */
export interface BinaryAccuracyOptions {
  /** Predictions above it count as 1; default 0.5 (use 0 for logits). */
  threshold?: number;
  name?: string;
}

/** Binary accuracy (state `[Σ w·hits, Σ w]`, as Keras's `BinaryAccuracy`). */
export class BinaryAccuracyMetric extends MeanMetricWrapperClass {
  static override readonly className: string = 'BinaryAccuracy';
  /** Predictions above it count as 1. */
  readonly threshold: number;

  constructor(options: BinaryAccuracyOptions = {}) {
    checkKeys('BinaryAccuracy', options, ['threshold', 'name']);
    const threshold =
      options.threshold === undefined ? 0.5 : checkFinite('BinaryAccuracy', 'threshold', options.threshold);
    const name = checkName('BinaryAccuracy', options.name, 'binary_accuracy');
    super((t, p) => binaryAccuracy(t, p, threshold), { name }, { threshold });
    this.threshold = threshold;
  }
}

/** The type of what `BinaryAccuracy()` returns. */
export type BinaryAccuracy = BinaryAccuracyMetric;

/** Binary accuracy for sigmoid outputs (or multi-label): `BinaryAccuracy({ threshold: 0.5 })`. */
export function BinaryAccuracy(options: BinaryAccuracyOptions = {}): BinaryAccuracy {
  return new BinaryAccuracyMetric(options);
}
