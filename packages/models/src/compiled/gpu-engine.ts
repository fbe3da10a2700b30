// The training engine of the WebGPU plan: fit's passes step the plan, whose loss and metric sums
// stay on the device; `read` (a callback that asks for values, the end of the epoch) is the one
// read-back. Evaluation passes are the fused steps' (they read the variables, brought up to date first).
// For a dataset the plan is laid out at its first batch (gpu-dataset.ts).
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import { GpuDensePlan, type GpuSums } from './gpu-plan';
import type { PlanSpec } from './analyze';
import { reportPassState } from './pass-report';
import { planEngine } from './plan-engine';

/** The plan an engine trains with: one made for arrays, or made at a dataset's first batch. */
export interface GpuPlanHolder {
  /** The plan for a step on `data` of `rows` rows (made, or remade larger, as needed). */
  planFor(data: DataArrays, rows: number): GpuDensePlan;
  readonly current: GpuDensePlan | null;
  /** The sums of plans replaced since `startPass` (their steps of this pass). */
  readonly retired: Promise<GpuSums>[];
  startPass(): void;
  dispose(): void;
}

/** A plan made once for arrays whose largest batch is known. */
export function fixedGpuPlan(plan: GpuDensePlan): GpuPlanHolder {
  return {
    planFor: () => plan,
    current: plan,
    retired: [],
    startPass: () => plan.startPass(),
    dispose: () => plan.dispose(),
  };
}

class GpuPass implements Pass {
  private count = 0;
  private sums: GpuSums = { lossSum: 0, metricSums: [] };
  constructor(
    private readonly plans: GpuPlanHolder,
    private readonly metrics: PlanSpec['metrics'],
    private readonly bound: BoundCompile,
  ) {
    plans.startPass();
  }

  step(data: DataArrays, indices: BatchIndices): void {
    this.count += this.plans.planFor(data, GpuDensePlan.rowsIn(data, indices)).step(data, indices);
  }

  flush(): void {
    this.plans.current?.flushWeights();
  }

  async read(): Promise<Logs> {
    if (this.count > 0) {
      const cur = this.plans.current;
      const parts = await Promise.all([...this.plans.retired, ...(cur ? [cur.readSums()] : [])]);
      this.sums = {
        lossSum: parts.reduce((a, p) => a + p.lossSum, 0),
        metricSums: this.metrics.map((_, i) => parts.reduce((a, p) => a + (p.metricSums[i] ?? 0), 0)),
      };
    }
    const n = Math.max(this.count, 1);
    const logs: Logs = { loss: this.sums.lossSum / n };
    this.metrics.forEach((m, i) => (logs[m.key] = Math.fround((this.sums.metricSums[i] ?? 0) / n)));
    return logs;
  }

  async finish(): Promise<Logs> {
    const logs = await this.read();
    const plan = this.plans.current;
    plan?.flushWeights();
    plan?.flushState();
    reportPassState(this.bound, this.metrics, this.sums.lossSum, this.sums.metricSums, this.count);
    return logs;
  }

  dispose(): void {
    this.plans.current?.flushWeights();
  }
}

/** An engine whose training passes run the plans of `plans` and report `metrics`; `test` gives the evaluation passes. */
export function gpuEngine(plans: GpuPlanHolder, metrics: PlanSpec['metrics'], bound: BoundCompile, test: Engine): Engine {
  return planEngine(() => new GpuPass(plans, metrics, bound), plans, metrics, test, 'WebGPU plan, fused WGSL kernels');
}
