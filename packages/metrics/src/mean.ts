import { divNoNan, reshape, scalar, stack, sum, tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import type { MetricOptions } from './metric';
import { samplewise } from './sample-weight';
import { entry } from './state-parts';
import { checkKeys } from './validate';

/**
 * `[Σ w·v, Σ w]` of Keras's `Mean.update_state(values, sampleWeight)`: values reduced to one per
 * sample (mean over the other axes), weighted; the count is the sum of the weights, else the
 * number of samples (1 for a scalar).
 */
export function meanState(where: string, values: Tensor, sampleWeight?: Tensor): Tensor {
  return tidy(() => {
    const { values: v, weight } = samplewise(where, values, sampleWeight, 'mean');
    const count = weight !== null ? sum(weight) : scalar(v.rank >= 1 ? v.shape[0] : 1);
    return stack([sum(v), count]);
  });
}

/** `Σ w·v / Σ w` of a `[total, count]` state (0 when the count is 0, as Keras's divide_no_nan). */
export function meanFrom(state: Tensor): Tensor {
  return tidy(() => divNoNan(entry(state, 0), entry(state, 1)));
}

/**
 * The (weighted) mean of the values given, as Keras's `keras.metrics.Mean`: a loss tracker for
 * custom training steps. `updateState(values, sampleWeight?)`; state `[Σ w·v, Σ w]`.
 * `m.updateState(tensor1d([1, 3, 5, 7]))` → `m.result()` is 4; with weights `[1, 1, 0, 0]` it is 2.
 */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export class MeanMetric extends AdditiveMetric {
  static override readonly className: string = 'Mean';
  readonly stateSize = 2;

  constructor(options: MetricOptions = {}) {
    super({ name: 'mean', ...options });
    checkKeys(this.className, options, ['name']);
  }

  /** Add the values (any shape; one per sample after a mean over the other axes) with their weights. */
  override updateState(values: Tensor, sampleWeight?: Tensor): void {
    super.updateState(values, sampleWeight as Tensor);
  }

  /** `[Σ w·v, Σ w]` of these values. */
  batchState(values: Tensor, sampleWeight?: Tensor): Tensor {
    return meanState(this.className, values, sampleWeight);
  }

  resultFrom(state: Tensor): Tensor {
    return meanFrom(state);
  }
}

/** Callable form of `MeanMetric`: `mean(values, sampleWeight?)` is the weighted mean of these values alone. */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export interface MeanMetric {
  (values: Tensor, sampleWeight?: Tensor): Tensor;
}

/** The type of what `Mean()` returns. */
export type Mean = MeanMetric;

/** Keras's `keras.metrics.Mean()`: `const lossTracker = Mean({ name: 'loss' })`. */
export function Mean(options: MetricOptions = {}): Mean {
  return new MeanMetric(options);
}

/**
 * The (weighted) sum of the values given, as Keras's `keras.metrics.Sum`:
 * `updateState(values, sampleWeight?)`; state `[Σ w·v]`.
 */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export class SumMetric extends AdditiveMetric {
  static override readonly className: string = 'Sum';
  readonly stateSize = 1;

  constructor(options: MetricOptions = {}) {
    super({ name: 'sum', ...options });
    checkKeys(this.className, options, ['name']);
  }

  /** Add the values (summed over every axis) with their weights. */
  override updateState(values: Tensor, sampleWeight?: Tensor): void {
    super.updateState(values, sampleWeight as Tensor);
  }

  /** `[Σ w·v]` of these values. */
  batchState(values: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => reshape(sum(samplewise(this.className, values, sampleWeight, 'sum').values), [1]));
  }

  resultFrom(state: Tensor): Tensor {
    return tidy(() => reshape(state, []));
  }
}

/** Callable form of `SumMetric`: `sum(values, sampleWeight?)` is the weighted sum of these values alone. */
// oxlint-disable-next-line typescript/no-unsafe-declaration-merging
export interface SumMetric {
  (values: Tensor, sampleWeight?: Tensor): Tensor;
}

/** The type of what `Sum()` returns. */
export type Sum = SumMetric;

/** Keras's `keras.metrics.Sum()`. */
export function Sum(options: MetricOptions = {}): Sum {
  return new SumMetric(options);
}
