// The training engine of the WebGPU plan: fit's passes step the plan, whose loss and metric sums
// stay on the device; `read` (a callback that asks for values, the end of the epoch) is the one
// read-back. Evaluation passes are the fused steps' (they read the variables, brought up to date first).
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import type { GpuDensePlan } from './gpu-plan';
import type { PlanSpec } from './analyze';
import { reportPassState } from './pass-report';

class GpuPass implements Pass {
  private count = 0;
  private sums: { lossSum: number; metricSums: number[] } = { lossSum: 0, metricSums: [] };
  constructor(
    private readonly plan: GpuDensePlan,
    private readonly metrics: PlanSpec['metrics'],
    private readonly bound: BoundCompile,
  ) {
    plan.startPass();
  }

  step(data: DataArrays, indices: BatchIndices): void {
    this.count += this.plan.step(data, indices);
  }

  flush(): void {
    this.plan.flushWeights();
  }

  async read(): Promise<Logs> {
    if (this.count > 0) this.sums = await this.plan.readSums();
    const n = Math.max(this.count, 1);
    const logs: Logs = { loss: this.sums.lossSum / n };
    this.metrics.forEach((m, i) => (logs[m.key] = Math.fround((this.sums.metricSums[i] ?? 0) / n)));
    return logs;
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    this.plan.flushWeights();
    this.plan.flushState();
    reportPassState(this.bound, this.metrics, this.sums.lossSum, this.sums.metricSums, this.count);
    return logs;
  }

  dispose(): void {
    this.plan.flushWeights();
  }
}

/** An engine whose training passes run `plan` and report `metrics`; `test` gives the evaluation passes. */
export function gpuEngine(plan: GpuDensePlan, metrics: PlanSpec['metrics'], bound: BoundCompile, test: Engine): Engine {
  return {
    keys: ['loss', ...metrics.map((m) => m.key)],
    kind: 'compiled',
    describe: 'WebGPU plan, fused WGSL kernels',
    trainPass: () => new GpuPass(plan, metrics, bound),
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
