// What a compiled training pass leaves behind at its end, as the fused steps do: the loss tracker
// and each compiled metric hold the pass's state ([Σ value, Σ 1]), so `model.metrics` report it.
import { stack, scalar, tensor1d, tidy } from '@neurona/tensor';
import type { AdditiveMetric } from '@neurona/metrics';
import type { BoundCompile } from '../compile';
import type { PlanSpec } from './analyze';

/** Give the loss tracker and `metrics` the sums of a pass of `count` samples. */
export function reportPassState(bound: BoundCompile, metrics: PlanSpec['metrics'], lossSum: number, metricSums: readonly number[], count: number): void {
  const t = bound.lossTracker;
  t.resetState();
  if (count > 0) tidy(() => t.mergeState(stack([scalar(lossSum), scalar(count)])));
  metrics.forEach((m, i) => {
    const metric = m.metric as AdditiveMetric;
    metric.resetState();
    if (count > 0) tidy(() => metric.mergeState(tensor1d([metricSums[i] ?? 0, count])));
  });
}
