import { cast, expandDims, maskOf, mul, tidy, type Tensor } from '@neurona/tensor';
import { squeezeOrExpand } from './sample-weight';
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

  /**
   * `[Σ w·fn(yTrue, yPred), Σ w]` of this batch. A prediction that carries a mask (padded time
   * steps) leaves the masked entries out: the mask multiplies the weights, as Keras's
   * `MeanMetricWrapper`.
   */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => {
      const mask = maskOf(yPred);
      return meanState(this.name, this.fn(yTrue, yPred), mask ? maskedWeight(mask, sampleWeight) : sampleWeight);
    });
  }

  resultFrom(state: Tensor): Tensor {
    return meanFrom(state);
  }

  override getConfig(): MetricConfig {
    return { name: this.name, ...this.options };
  }
}

/** The mask as weights (1 kept, 0 masked), times the sample weights when there are some. */
function maskedWeight(mask: Tensor, sampleWeight: Tensor | undefined): Tensor {
  const m = cast(mask, 'float32');
  if (sampleWeight === undefined || sampleWeight === null) return m;
  let [a, b] = squeezeOrExpand(m, sampleWeight.dtype === 'float32' ? sampleWeight : cast(sampleWeight, 'float32'));
  // per-sample weights [batch] weigh every step of their sample
  while (b.rank < a.rank) b = expandDims(b, -1);
  while (a.rank < b.rank) a = expandDims(a, -1);
  return mul(a, b);
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
