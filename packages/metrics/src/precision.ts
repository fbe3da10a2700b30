import { add, divNoNan, tidy, type Tensor } from '@neurona/tensor';
import type { Metric } from './types';
import { withIdentity } from './make-metric';
import { thresholdCounts } from './threshold-counts';
import { checkFinite, checkInt, checkKeys, checkName } from './validate';

/** Options of `Precision` and `Recall`. */
export interface ThresholdMetricOptions {
  /** Predictions above it count as positive; default 0.5. */
  threshold?: number;
  /** Only this column of the last axis (one class of a multi-label or one-hot output); default all. */
  classId?: number | null;
  name?: string;
}

export function thresholdOptions(cls: string, options: ThresholdMetricOptions): { threshold: number; classId: number | null } {
  checkKeys(cls, options, ['threshold', 'classId', 'name']);
  const threshold = options.threshold === undefined ? 0.5 : checkFinite(cls, 'threshold', options.threshold);
  const classId = options.classId === undefined || options.classId === null ? null : checkInt(cls, 'classId', options.classId, 0);
  return { threshold, classId };
}

/** Batch precision `tp / (tp + fp)` of thresholded predictions (0 when nothing is predicted positive). */
export function batchPrecision(yTrue: Tensor, yPred: Tensor, threshold = 0.5, classId: number | null = null): Tensor {
  return tidy(() => {
    const { tp, fp } = thresholdCounts('precision', yTrue, yPred, threshold, classId);
    return divNoNan(tp, add(tp, fp));
  });
}

/**
 * Precision metric as Keras's `Precision({ thresholds, classId })`, computed per batch (Keras
 * accumulates counts over the epoch; for exact values over a data set use `precisionScore`).
 */
export function Precision(options: ThresholdMetricOptions = {}): Metric {
  const { threshold, classId } = thresholdOptions('Precision', options);
  const name = checkName('Precision', options.name, 'precision');
  return withIdentity((t, p) => batchPrecision(t, p, threshold, classId), 'Precision', name, { threshold, classId });
}
