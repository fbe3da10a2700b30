import { cast, mean, mul, scalar, stack, sum, tidy, type Tensor } from '@neurona/tensor';
import { AdditiveMetric } from './additive-metric';
import { meanFrom } from './mean';
import type { MetricConfig } from './types';

/**
 * A metric in 0.1's form: a callable `(yTrue, yPred) => batch mean` carrying `className`, `name`
 * and optionally `getConfig`, but no state.
 */
export type CallableMetric = ((yTrue: Tensor, yPred: Tensor) => Tensor) & {
  readonly className: string;
  readonly name: string;
  getConfig?(): MetricConfig;
};

/** True for a 0.1-style callable metric (a function with a string `className`). */
export function isCallableMetric(x: unknown): x is CallableMetric {
  return typeof x === 'function' && typeof (x as { className?: unknown }).className === 'string';
}

/**
 * A 0.1-style callable metric as an `AdditiveMetric`, keeping its className, name and config.
 * The epoch value is what models computed in 0.1: batch values weighted by batch size (by the
 * sum of the sample weights when given). State `[Σ n·value, Σ n]`.
 */
export class CallableMetricAdapter extends AdditiveMetric {
  readonly stateSize = 2;
  /** The wrapped callable. */
  readonly callable: CallableMetric;

  constructor(callable: CallableMetric) {
    super({ name: typeof callable.name === 'string' && callable.name.length > 0 ? callable.name : 'metric' });
    this.callable = callable;
  }

  override get className(): string {
    // read during the base constructor, before `callable` is set
    return this.callable === undefined ? 'CallableMetric' : this.callable.className;
  }

  /** `[n·value, n]` of this batch. */
  batchState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return tidy(() => {
      const v = this.callable(yTrue, yPred);
      const value = v.rank === 0 ? v : mean(v);
      const n = sampleWeight !== undefined && sampleWeight !== null ? sum(cast(sampleWeight, 'float32')) : scalar(yTrue.rank === 0 ? 1 : yTrue.shape[0]);
      return stack([mul(cast(value, 'float32'), n), n]);
    });
  }

  resultFrom(state: Tensor): Tensor {
    return meanFrom(state);
  }

  override getConfig(): MetricConfig {
    return typeof this.callable.getConfig === 'function' ? this.callable.getConfig() : { name: this.name };
  }
}
