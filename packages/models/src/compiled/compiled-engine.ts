// The training engine of a compiled plan: fit's passes run `DensePlan.step` per batch and keep the
// loss and metric sums in JavaScript (no tensor per step); evaluation passes are the fused steps' (they read
// the variables, which the plan brings up to date first).
import { stack, scalar, tensor1d, tidy } from '@neurona/tensor';
import type { AdditiveMetric } from '@neurona/metrics';
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import type { DensePlan } from './dense-plan';

class CompiledPass implements Pass {
  private sum = 0;
  private count = 0;
  private readonly metricSums: number[];
  constructor(
    private readonly plan: DensePlan,
    private readonly bound: BoundCompile,
  ) {
    this.metricSums = plan.metrics.map(() => 0);
  }

  step(data: DataArrays, indices: BatchIndices): void {
    const r = this.plan.step(data, indices);
    this.sum += r.lossSum;
    this.count += r.size;
    r.metricSums.forEach((v, i) => (this.metricSums[i] += v));
  }

  flush(): void {
    this.plan.flushWeights();
  }

  read(): Promise<Logs> {
    const n = Math.max(this.count, 1);
    const logs: Logs = { loss: this.sum / n };
    // the tape path's metric values are float32 (Σ value / Σ 1 on the device)
    this.plan.metrics.forEach((m, i) => (logs[m.key] = Math.fround(this.metricSums[i] / n)));
    return Promise.resolve(logs);
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    this.plan.flushWeights();
    this.plan.flushState();
    // the loss tracker reports this pass, as after the fused steps
    const t = this.bound.lossTracker;
    t.resetState();
    if (this.count > 0) tidy(() => t.mergeState(stack([scalar(this.sum), scalar(this.count)])));
    // and each compiled metric its state [Σ value, Σ 1], as after the fused steps
    this.plan.metrics.forEach((m, i) => {
      const metric = m.metric as AdditiveMetric;
      metric.resetState();
      if (this.count > 0) tidy(() => metric.mergeState(tensor1d([this.metricSums[i], this.count])));
    });
    return logs;
  }

  dispose(): void {
    this.plan.flushWeights();
  }
}

/** An engine whose training passes run `plan`; `test` gives the evaluation passes. */
export function compiledEngine(plan: DensePlan, bound: BoundCompile, test: Engine): Engine {
  return {
    keys: ['loss', ...plan.metrics.map((m) => m.key)],
    kind: 'compiled',
    trainPass: () => new CompiledPass(plan, bound),
    testPass: () => test.testPass(),
    dispose: () => {
      try {
        plan.dispose();
      } finally {
        test.dispose();
      }
    },
  };
}
