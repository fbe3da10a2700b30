// The training engine of a compiled plan: fit's passes run `DensePlan.step` per batch and keep the
// loss and metric sums in JavaScript (no tensor per step); evaluation passes are the fused steps' (they
// read the variables, which the plan brings up to date first). The batches come from rows of arrays
// or from a dataset (batch-source.ts); for a dataset the plan is laid out at its first batch and laid
// out again, larger, if a later batch has more rows.
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import { planBatch } from './batch-source';
import { residentBatch, type ResidentData } from './resident-data';
import type { DensePlan, PlanKernels } from './dense-plan';
import type { PlanSpec } from './analyze';
import { reportPassState } from './pass-report';
import { planEngine } from './plan-engine';
import { reportEpoch, stepProfile } from './step-profile';

/** The plan an engine trains with, made when its batch size is known. */
export interface PlanHolder {
  /** The plan for batches of `rows` rows (made, or remade larger, as needed). */
  planFor(rows: number): DensePlan;
  /** The plan made so far, if any. */
  readonly current: DensePlan | null;
  /** Whether batches are a dataset's own tensors (read whole) rather than rows of arrays. */
  readonly whole: boolean;
  /**
   * The training arrays kept in the fast kernels' memory (resident-data.ts), or null: a fit's
   * arrays copied when the engine was made, or a dataset's (`fromArrays(...).batch(b)`) copied at
   * its first batch of rows.
   */
  residentFor(data: DataArrays, indices: BatchIndices): ResidentData | null;
  dispose(): void;
}

/** A plan made once for arrays whose largest batch is known (and those arrays' copies, when `resident`). */
export function fixedPlan(plan: DensePlan, resident: ResidentData | null = null): PlanHolder {
  return {
    planFor: () => plan,
    current: plan,
    whole: false,
    residentFor: () => resident,
    dispose: () => {
      try {
        plan.dispose();
      } finally {
        resident?.rows.release();
      }
    },
  };
}

/**
 * A plan for a dataset's batches: made for the first batch's rows, made again for a larger batch
 * (the old one hands its weights and optimizer state back to the variables, the new one reads
 * them: nothing is lost). `make` returns null when the memory cannot be reserved. `keep`, when
 * given, copies the arrays a batch of row indices comes from into the kernels' memory (tried once,
 * at the first such batch, for batches of up to its rows; a later batch of other arrays or more
 * rows is copied as before).
 */
export function growingPlan(
  make: (rows: number) => DensePlan | null,
  keep?: (data: DataArrays, batchRows: number) => ResidentData | null,
): PlanHolder {
  let plan: DensePlan | null = null;
  // undefined: not tried yet
  let resident: ResidentData | null | undefined = keep ? undefined : null;
  return {
    residentFor(data, indices) {
      if (resident === undefined && indices !== null && keep) {
        const rows = indices instanceof Int32Array ? indices.length : indices.size;
        resident = null; // tried once, even when the copy throws
        resident = keep(data, rows);
      }
      return resident ?? null;
    },
    planFor(rows) {
      if (plan && rows <= plan.capacity) return plan;
      const old = plan;
      plan = null;
      old?.dispose();
      const next = make(Math.max(rows, 1));
      if (!next) {
        throw new Error(
          `fit: the compiled training step could not reserve memory for batches of ${rows} rows; ` +
            'use smaller batches, or compile({ jitCompile: false }) to train on the gradient tape',
        );
      }
      plan = next;
      return plan;
    },
    get current() {
      return plan;
    },
    whole: true,
    dispose() {
      const p = plan;
      const r = resident;
      plan = null;
      resident = null;
      try {
        p?.dispose();
      } finally {
        r?.rows.release();
      }
    },
  };
}

class CompiledPass implements Pass {
  private sum = 0;
  private count = 0;
  private readonly metricSums: number[];
  constructor(
    private readonly k: PlanKernels,
    private readonly plans: PlanHolder,
    private readonly metrics: PlanSpec['metrics'],
    private readonly bound: BoundCompile,
  ) {
    this.metricSums = metrics.map(() => 0);
  }

  step(data: DataArrays, indices: BatchIndices): void {
    const res = this.plans.residentFor(data, indices);
    const batch = (res ? residentBatch(this.k, res, data, indices) : null) ?? planBatch(this.k, data, indices, this.plans.whole);
    const r = this.plans.planFor(batch.size).step(batch);
    this.sum += r.lossSum;
    this.count += r.size;
    r.metricSums.forEach((v, i) => (this.metricSums[i] += v));
  }

  flush(): void {
    this.plans.current?.flushWeights();
  }

  read(): Promise<Logs> {
    const n = Math.max(this.count, 1);
    const logs: Logs = { loss: this.sum / n };
    // the tape path's metric values are float32 (Σ value / Σ 1 on the device)
    this.metrics.forEach((m, i) => (logs[m.key] = Math.fround(this.metricSums[i] / n)));
    return Promise.resolve(logs);
  }

  async finish(): Promise<Logs> {
    if (stepProfile.on) reportEpoch();
    const logs = await this.read();
    const plan = this.plans.current;
    plan?.flushWeights();
    plan?.flushState();
    reportPassState(this.bound, this.metrics, this.sum, this.metricSums, this.count);
    return logs;
  }

  dispose(): void {
    this.plans.current?.flushWeights();
  }
}

/**
 * An engine whose training passes run the plans of `plans` and report `metrics` (the spec's, in
 * its order); `test` gives the evaluation passes.
 */
export function compiledEngine(k: PlanKernels, plans: PlanHolder, metrics: PlanSpec['metrics'], bound: BoundCompile, test: Engine): Engine {
  return planEngine(() => new CompiledPass(k, plans, metrics, bound), plans, metrics, test);
}
