import { add, divNoNan, stack, tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import type { MetricConfig } from './types';
import { entry } from './state-parts';
import { thresholdCounts } from './threshold-counts';
import { checkFinite, checkInt, checkKeys, checkName } from './validate';

/** Options of `Precision` and `Recall`. */
export interface ThresholdMetricOptions {
  /** Predictions above it count as positive; default 0.5 (use 0 for logits). */
  threshold?: number;
  /** Only this column of the last axis (one class of a multi-label or one-hot output); default all. */
  classId?: number | null;
  name?: string;
}

/** Validated `threshold` and `classId` of Precision / Recall. */
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
 * Precision as Keras's `Precision`: state `[tp, fp]` summed over the batches (weighted by
 * `sampleWeight`), result `tp / (tp + fp)` (0 when nothing was predicted positive). Over an
 * epoch this is the precision of all its samples, as scikit-learn's `precision_score`.
 */
export class PrecisionMetric extends AdditiveMetric {
  static override readonly className: string = 'Precision';
  readonly stateSize = 2;
  /** Predictions above it count as positive. */
  readonly threshold: number;
  /** The one column scored, or null for every element. */
  readonly classId: number | null;

  constructor(options: ThresholdMetricOptions = {}) {
    const { threshold, classId } = thresholdOptions('Precision', options);
    super({ name: checkName('Precision', options.name, 'precision') });
    this.threshold = threshold;
    this.classId = classId;
  }

  /** `[tp, fp]` of this batch. */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => {
      const { tp, fp } = thresholdCounts('precision', yTrue, yPred, this.threshold, this.classId, sampleWeight);
      return stack([tp, fp]);
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

/** The type of what `Precision()` returns. */
export type Precision = PrecisionMetric;

/** Precision: `Precision()`, `Precision({ threshold: 0 })` for logits, `Precision({ classId: 2 })`. */
export function Precision(options: ThresholdMetricOptions = {}): Precision {
  return new PrecisionMetric(options);
}
