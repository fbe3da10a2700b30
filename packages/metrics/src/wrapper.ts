import { tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import { meanFrom, meanState } from './mean';
import type { MetricOptions } from './metric';
import type { MetricConfig, MetricFunction } from './types';
import { checkKeys, checkName } from './validate';

/**
 * A per-sample function `(yTrue, yPred) => [batch]` as a metric: the weighted mean of its values
 * over every batch, as Keras's `MeanMetricWrapper` (state `[Σ w·v, Σ w]`, so it is additive).
 * The accuracy metrics and the regression error metrics are built on it.
 */
export class MeanMetricWrapperClass extends AdditiveMetric {
  static override readonly className: string = 'MeanMetricWrapper';
  readonly stateSize = 2;
  /** The per-sample function. */
  readonly fn: MetricFunction;
  private readonly options: MetricConfig;

  /**
   * `fn` gives one value per sample (values of higher rank are averaged over their other axes);
   * `config` holds the options `getConfig()` reports besides `name`.
   */
  constructor(fn: MetricFunction, options: MetricOptions = {}, config: MetricConfig = {}) {
    super(options);
    if (typeof fn !== 'function') {
      throw new Error(`${this.className}: expects a function (yTrue, yPred) => Tensor, got ${typeof fn}`);
    }
    this.fn = fn;
    this.options = config;
  }

  /** `[Σ w·fn(yTrue, yPred), Σ w]` of this batch. */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => meanState(this.name, this.fn(yTrue, yPred), sampleWeight));
  }

  resultFrom(state: Tensor): Tensor {
    return meanFrom(state);
  }

  override getConfig(): MetricConfig {
    return { name: this.name, ...this.options };
  }
}

/**
 * Turn your own per-sample function `(yTrue, yPred) => [batch]` into a metric (weighted mean over
 * the epoch), as Keras's `MeanMetricWrapper`: `MeanMetricWrapper(myFn, { name: 'my_metric' })`.
 * The name defaults to the function's name.
 */
export function MeanMetricWrapper(fn: MetricFunction, options: MetricOptions = {}): MeanMetricWrapperClass {
  if (typeof fn !== 'function') {
    throw new Error(`MeanMetricWrapper: expects a function (yTrue, yPred) => Tensor, got ${typeof fn}`);
  }
  checkKeys('MeanMetricWrapper', options, ['name']);
  const fallback = fn.name && fn.name !== 'anonymous' ? fn.name : 'metric';
  return new MeanMetricWrapperClass(fn, { name: checkName('MeanMetricWrapper', options.name, fallback) });
}
