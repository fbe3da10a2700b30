// evaluate and fit's validation on the WebGPU plan's kernels: a compiled dense chain's test passes
// run its forward products and the training step's loss kernel over GPU copies of the data, the
// loss and metric sums kept on the device and read once at the end of the pass (`finish`). The
// weights are copied GPU-to-GPU when a pass starts (they are current: fit's training pass has
// flushed them). Anything the plan does not take stays on the tape with the reason.
import type { Tensor } from '@neurona/tensor';
import type { GpuCopy, GpuDevice, GpuEvalPlan, GpuRows, WgslExtras } from '@neurona/kernels/webgpu';
import type { Logs } from '../callbacks/types';
import type { BoundCompile } from '../compile';
import type { Engine, Pass } from '../engine';
import type { BatchIndices, DataArrays } from '../step';
import { fixedRowsOf } from '../batches';
import type { PlanSpec } from './analyze';
import { GPU_ACTIVATIONS, GPU_METRICS, GpuDensePlan, copiesOf, gpuDataReason, gpuKernelSpec, indexCopy, releaseData, type GpuKernels } from './gpu-plan';
import { reportPassState } from './pass-report';

/** Why `spec`'s test passes cannot run on the WebGPU plan (its optimizer does not matter), or null. */
export function gpuTestSpecReason(spec: PlanSpec): string | null {
  for (const l of spec.layers) {
    if (!GPU_ACTIVATIONS.includes(l.activation)) return `layer "${l.layer.name}" has activation "${l.activation}" (the WebGPU plan fuses linear, relu, sigmoid, tanh)`;
  }
  for (const m of spec.metrics) if (!GPU_METRICS.includes(m.kind)) return `the metric ${m.metric.className} is not in the WebGPU plan yet`;
  return null;
}

/** The consecutive rows `first..first+n` that `rows` lists, or null when they are not. */
function runOf(rows: Int32Array): number | null {
  for (let i = 1; i < rows.length; i++) if (rows[i] !== rows[0] + i) return null;
  return rows.length > 0 ? rows[0] : null;
}

/** One data's GPU copies and the evaluation plan laid out over them. */
interface Bound extends ReturnType<typeof copiesOf> {
  plan: GpuEvalPlan;
}

class GpuTestPass implements Pass {
  private count = 0;
  private bound: Bound | null = null;
  /** The sums of plans this pass replaced (another data, a larger batch). */
  private readonly retired: Promise<Float32Array>[] = [];
  private readonly fixed = new Map<Tensor, GpuCopy>();
  private sums: { lossSum: number; metricSums: number[] } = { lossSum: 0, metricSums: [] };

  constructor(
    private readonly k: GpuKernels,
    private readonly device: GpuDevice,
    private readonly spec: PlanSpec,
    private readonly bc: BoundCompile,
    private readonly extras: WgslExtras | null,
  ) {}

  /** The plan for `n` rows of `data`: made at the first batch (its rows the capacity), again for other data or a larger batch. */
  private planFor(data: DataArrays, n: number): Bound {
    const b = this.bound;
    if (b && b.data === data && n <= b.plan.batchCapacity) return b;
    const why = gpuDataReason(this.spec, data, this.device.limits.maxStorageBufferBindingSize);
    if (why) throw new Error(`Internal: the WebGPU evaluation was chosen for data it cannot take: ${why}`);
    if (b) this.retire(b);
    this.k.submitBackendWork();
    const c = copiesOf(this.k, data);
    let plan: GpuEvalPlan | null = null;
    try {
      const ks = gpuKernelSpec(this.spec, c.y.storage === 'int32' ? 'i32' : 'f32', c.w !== null);
      plan = this.k.GpuEvalPlan.create(this.device, {
        layers: ks.layers, loss: ks.loss, reduction: ks.reduction, capacity: n, x: c.x.buffer, y: c.y.buffer, w: c.w?.buffer ?? null, rows: data.n, extras: this.extras,
      });
      this.loadWeights(plan);
      this.bound = { ...c, plan };
      return this.bound;
    } catch (e) {
      plan?.destroy();
      releaseData(c);
      throw e;
    }
  }

  /** The model's weights, copied GPU-to-GPU into the plan's parameters (one submit). */
  private loadWeights(plan: GpuEvalPlan): void {
    const copies: GpuCopy[] = [];
    try {
      const loads = this.spec.layers.flatMap((l, i) => {
        const vars = [l.kernel, ...(l.bias ? [l.bias] : [])];
        const places = [plan.kernels[i], ...(l.bias ? [plan.biases[i]] : [])];
        return vars.map((v, j) => {
          const c = this.k.gpuCopyOf(v, true);
          copies.push(c);
          const p = places[j] as { offset: number; length: number };
          return { offset: p.offset, src: c.buffer, length: p.length };
        });
      });
      plan.loadParams(loads);
    } finally {
      for (const c of copies) c.release();
    }
  }

  private retire(b: Bound): void {
    const read = b.plan.readSums();
    this.retired.push(read);
    const free = () => {
      b.plan.destroy();
      releaseData(b);
    };
    void read.then(free, free);
    this.bound = null;
  }

  /** Where the rows `indices` of `data` are for the plan, and how many. */
  private rowsOf(data: DataArrays, indices: BatchIndices): { n: number; rows: GpuRows } {
    if (indices === null) return { n: data.n, rows: { offset: 0 } };
    const known = indices instanceof Int32Array ? indices : fixedRowsOf(indices);
    if (known && (indices instanceof Int32Array || known.length === indices.size)) {
      const first = runOf(known);
      return { n: known.length, rows: first !== null ? { offset: first } : { values: known } };
    }
    const t = indices as Tensor;
    return { n: t.size, rows: { buffer: indexCopy(this.k, this.fixed, t) } };
  }

  step(data: DataArrays, indices: BatchIndices): void {
    const n = GpuDensePlan.rowsIn(data, indices);
    if (n < 1) return;
    const b = this.planFor(data, n);
    const { rows } = this.rowsOf(data, indices);
    // tfjs's recorded work (an index copy) goes to the queue before the batch's
    this.k.submitBackendWork();
    b.plan.batch(n, rows);
    this.count += n;
  }

  async read(): Promise<Logs> {
    if (this.count > 0) {
      const parts = await Promise.all([...this.retired, ...(this.bound ? [this.bound.plan.readSums()] : [])]);
      this.sums = {
        lossSum: parts.reduce((a, p) => a + p[0], 0),
        metricSums: this.spec.metrics.map((_, i) => parts.reduce((a, p) => a + p[1 + i], 0)),
      };
    }
    const n = Math.max(this.count, 1);
    const logs: Logs = { loss: this.sums.lossSum / n };
    this.spec.metrics.forEach((m, i) => (logs[m.key] = Math.fround((this.sums.metricSums[i] ?? 0) / n)));
    return logs;
  }

  async finish(): Promise<Logs> {
    try {
      const logs = await this.read();
      reportPassState(this.bc, this.spec.metrics, this.sums.lossSum, this.sums.metricSums, this.count);
      return logs;
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    const b = this.bound;
    this.bound = null;
    if (b) {
      b.plan.destroy();
      releaseData(b);
    }
    for (const c of this.fixed.values()) c.release();
    this.fixed.clear();
  }
}

/**
 * The test passes of `spec` on the WebGPU plan (each pass lays its plan out at its first batch
 * and reads its sums once, at `finish`); `extras`: the WGSL extras where the loss, a metric or a
 * penalty needs them.
 */
export function gpuTestEngine(k: GpuKernels, device: GpuDevice, spec: PlanSpec, bound: BoundCompile, extras: WgslExtras | null): Engine {
  const pass = (): Pass => new GpuTestPass(k, device, spec, bound, extras);
  return {
    keys: ['loss', ...spec.metrics.map((m) => m.key)],
    kind: 'compiled',
    describe: 'WebGPU plan, fused WGSL kernels',
    trainPass: () => {
      throw new Error('Internal: the WebGPU evaluation engine has no training pass');
    },
    testPass: pass,
    dispose: () => undefined,
  };
}
