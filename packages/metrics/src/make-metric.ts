import { mean, tidy, type Tensor } from '@neurona/tensor';
import type { Metric, MetricConfig, MetricFunction } from './types';

/**
 * Wrap a per-sample function into a `Metric` (mean over the batch) carrying its identity.
 * `config` holds the metric's own options; `name` is added.
 */
export function makeMetric(className: string, name: string, config: MetricConfig, fn: MetricFunction): Metric {
  const call = (yTrue: Tensor, yPred: Tensor): Tensor => tidy(() => mean(fn(yTrue, yPred)));
  return withIdentity(call, className, name, config);
}

/** Attach `className`, `name` and `getConfig` to a callable (a function's own `name` is read-only: define it). */
export function withIdentity(
  call: (yTrue: Tensor, yPred: Tensor) => Tensor,
  className: string,
  name: string,
  config: MetricConfig,
): Metric {
  Object.defineProperty(call, 'name', { value: name, enumerable: true });
  Object.defineProperty(call, 'className', { value: className, enumerable: true });
  Object.defineProperty(call, 'getConfig', { value: (): MetricConfig => ({ name, ...config }), enumerable: false });
  return call as Metric;
}
