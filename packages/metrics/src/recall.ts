import { add, divNoNan, stack, tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import type { MetricConfig } from './types';
import { entry } from './state-parts';
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
 * Recall as Keras's `Recall`: state `[tp, fn]` summed over the batches (weighted by
 * `sampleWeight`), result `tp / (tp + fn)` (0 without positives). Over an epoch this is the
 * recall of all its samples, as scikit-learn's `recall_score`.
 */
export class RecallMetric extends AdditiveMetric {
  static override readonly className: string = 'Recall';
  readonly stateSize = 2;
  /** Predictions above it count as positive. */
  readonly threshold: number;
  /** The one column scored, or null for every element. */
  readonly classId: number | null;

  constructor(options: ThresholdMetricOptions = {}) {
    const { threshold, classId } = thresholdOptions('Recall', options);
    super({ name: checkName('Recall', options.name, 'recall') });
    this.threshold = threshold;
    this.classId = classId;
  }

  /** `[tp, fn]` of this batch. */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => {
      const { tp, fn } = thresholdCounts('recall', yTrue, yPred, this.threshold, this.classId, sampleWeight);
      return stack([tp, fn]);
    });
  }

  resultFrom(state: Tensor): Tensor {
    return tidy(() => {
      const tp = entry(state, 0);
      return divNoNan(tp, add(tp, entry(state, 1)));
    });
  }

  override getConfig(): MetricConfig {
    return { name: this.name, threshold: this.threshold, classId: this.classId };
  }
}

/** The type of what `Recall()` returns. */
export type Recall = RecallMetric;

/** Recall: `Recall()`, `Recall({ threshold: 0 })` for logits, `Recall({ classId: 2 })`. */
export function Recall(options: ThresholdMetricOptions = {}): Recall {
  return new RecallMetric(options);
}
