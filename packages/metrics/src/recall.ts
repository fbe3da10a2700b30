import { add, divNoNan, tidy, type Tensor } from '@neurona/tensor';
import type { Metric } from './types';
import { withIdentity } from './make-metric';
import { thresholdCounts } from './threshold-counts';
import { checkName } from './validate';
import { thresholdOptions, type ThresholdMetricOptions } from './precision';

/** Batch recall `tp / (tp + fn)` of thresholded predictions (0 when there are no positives). */
export function batchRecall(yTrue: Tensor, yPred: Tensor, threshold = 0.5, classId: number | null = null): Tensor {
  return tidy(() => {
    const { tp, fn } = thresholdCounts('recall', yTrue, yPred, threshold, classId);
    return divNoNan(tp, add(tp, fn));
  });
}

/**
 * Recall metric as Keras's `Recall({ thresholds, classId })`, computed per batch (Keras accumulates
 * counts over the epoch; for exact values over a data set use `recallScore`).
 */
export function Recall(options: ThresholdMetricOptions = {}): Metric {
  const { threshold, classId } = thresholdOptions('Recall', options);
  const name = checkName('Recall', options.name, 'recall');
  return withIdentity((t, p) => batchRecall(t, p, threshold, classId), 'Recall', name, { threshold, classId });
}
