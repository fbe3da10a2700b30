import type { Metric, MetricFunction } from './types';
import { makeMetric } from './make-metric';
import { checkKeys, checkName } from './validate';

/**
 * Turn your own per-sample function `(yTrue, yPred) => [batch]` into a `Metric` (mean over the batch),
 * as Keras's `MeanMetricWrapper`: `MeanMetricWrapper(myFn, { name: 'my_metric' })`.
 */
export function MeanMetricWrapper(fn: MetricFunction, options: { name?: string } = {}): Metric {
  if (typeof fn !== 'function') {
    throw new Error(`MeanMetricWrapper: expects a function (yTrue, yPred) => Tensor, got ${typeof fn}`);
  }
  checkKeys('MeanMetricWrapper', options, ['name']);
  const fallback = fn.name && fn.name !== 'anonymous' ? fn.name : 'metric';
  return makeMetric('MeanMetricWrapper', checkName('MeanMetricWrapper', options.name, fallback), {}, fn);
}
