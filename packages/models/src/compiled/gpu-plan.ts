// A dense model's training step on WebGPU: the plan of analyze.ts run by @neurona/kernels/webgpu
// on tfjs-backend-webgpu's own device. The training arrays (or a dataset's whole columns) are
// copied to GPU buffers once per fit and each batch's rows are picked on the GPU through an index
// buffer (an epoch's shuffled order is uploaded once); a step is one compute pass, several steps
// one command encoder; the loss and metric sums stay on the device until someone reads them. The variables are brought up to date (GPU-to-GPU copies) where the
// cpu/wasm plan would flush them, the optimizer's state at the end of an epoch.
import { dropoutMask, isDisposed, scalar, tensor, tidy } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { GpuCopy, GpuDevice, GpuPlanConfig, GpuRows, GpuTrainingPlan, WgslExtras } from '@neurona/kernels/webgpu';
import type { BatchIndices, DataArrays } from '../step';
import { fixedRowsOf } from '../batches';
import type { PlanSpec } from './analyze';
import { nextMaskKey } from './dropout-draw';

/** The parts of @neurona/kernels/webgpu the GPU plan runs on. */
export type GpuKernels = typeof import('@neurona/kernels/webgpu');

/** The activations the WebGPU plan fuses into its products. */
export const GPU_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];
/** The metrics the WebGPU plan's loss kernel sums. */
export const GPU_METRICS: readonly string[] = ['categorical_accuracy', 'sparse_categorical_accuracy', 'binary_accuracy', 'mean_squared_error', 'mean_absolute_error'];

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * Why `spec` has no WebGPU plan whatever the data (what the GPU plan does not cover yet: the
 * cpu/wasm plan does), or null when it may have one.
 */
export function gpuSpecReason(spec: PlanSpec): string | null {
  for (const l of spec.layers) {
    const name = l.layer.name;
    if (!GPU_ACTIVATIONS.includes(l.activation)) return `layer "${name}" has activation "${l.activation}" (the WebGPU plan fuses linear, relu, sigmoid, tanh)`;
  }
  for (const m of spec.metrics) if (!GPU_METRICS.includes(m.kind)) return `the metric ${m.metric.className} is not in the WebGPU plan yet`;
  const o = spec.optimizer.optimizer;
  const kind = spec.optimizer.kind;
  const mu = o.momentum ?? 0;
  const slots = kind === 'adam' ? (o.amsgrad === true ? 3 : 2) : kind === 'rmsprop' ? 1 + (mu > 0 ? 1 : 0) + (o.centered === true ? 1 : 0) : kind === 'adagrad' ? 1 : mu !== 0 ? 1 : 0;
  if (spec.optimizer.slots.length !== slots) return `the optimizer ${o.className} keeps ${spec.optimizer.slots.length} slots per variable, the WebGPU plan ${slots}`;
  return null;
}

/**
 * Why the WebGPU plan of `spec` cannot train on `data` (or null): one float32 input and one
 * float32/int32 target of the model's widths, float32 sample weights (one a sample) if any, each within `maxBinding` bytes
 * (the device's largest storage binding) when given.
 */
export function gpuDataReason(spec: PlanSpec, data: DataArrays, maxBinding?: number): string | null {
  if (data.xs.length !== 1 || data.ys.length !== 1) return 'the data has several inputs or targets';
  const [x] = data.xs;
  const [y] = data.ys;
  if (x.dtype !== 'float32') return `the input is ${x.dtype}`;
  if (y.dtype !== 'float32' && y.dtype !== 'int32') return `the targets are ${y.dtype}`;
  const w = data.sampleWeights?.[0];
  if (w && (w.dtype !== 'float32' || w.size !== data.n)) return `the sample weights are ${w.dtype} [${w.shape.join(', ')}] (the WebGPU plan takes float32, one a sample)`;
  const units = spec.layers[spec.layers.length - 1].units;
  if (rowWidth(x) !== spec.inputSize) return `the input rows have ${rowWidth(x)} values, the model takes ${spec.inputSize}`;
  if (rowWidth(y) !== (spec.loss.sparse ? 1 : units)) return `the target rows have ${rowWidth(y)} values, the loss takes ${spec.loss.sparse ? 1 : units}`;
  const bytes = Math.max(x.size, y.size) * 4;
  if (maxBinding !== undefined && bytes > maxBinding) return `the training arrays (${bytes} bytes) exceed the device's largest storage binding (${maxBinding} bytes)`;
  return null;
}

/** Why `spec` on `data` has no WebGPU plan (`gpuSpecReason`, then `gpuDataReason`), or null when it has one. */
export function gpuPlanReason(spec: PlanSpec, data: DataArrays, maxBinding?: number): string | null {
  return gpuSpecReason(spec) ?? gpuDataReason(spec, data, maxBinding);
}

interface Place {
  v: Variable;
  /** False for a frozen layer's weights (no update, no optimizer state). */
  trainable: boolean;
  offset: number;
  length: number;
}

interface OptimizerIo {
  getWeights(): Tensor[];
  setWeights(ws: Tensor[]): void;
  getWeightNames(): string[];
  iterations: number;
}

/** The epoch's sums as the plan read them back. */
export interface GpuSums {
  lossSum: number;
  metricSums: number[];
}

/** What the WebGPU plan's kernels compute for `spec` (targets stored as `targets`). */
export function gpuKernelSpec(spec: PlanSpec, targets: 'i32' | 'f32', weighted = false): Pick<GpuPlanConfig, 'layers' | 'loss' | 'reduction' | 'optimizer'> {
  const last = spec.layers[spec.layers.length - 1];
  const o = spec.optimizer.optimizer;
  return {
    layers: spec.layers.map((l) => ({
      inDim: l.inDim, units: l.units, bias: l.bias !== null, activation: l.activation as 'linear',
      trainable: l.trainable, kernelPenalty: l.kernelPenalty, biasPenalty: l.bias ? l.biasPenalty : null, dropout: l.dropout !== null,
    })),
    loss: {
      kind: spec.loss.kind,
      probabilities: spec.loss.probabilities,
      sparse: spec.loss.sparse,
      targets,
      units: last.units,
      activation: last.activation as 'linear',
      metrics: spec.metrics.map((m) => ({ kind: m.kind, threshold: m.threshold })),
      weighted,
    },
    reduction: spec.loss.reduction,
    optimizer: {
      kind: spec.optimizer.kind,
      momentum: o.momentum ?? 0,
      nesterov: o.nesterov === true,
      beta1: o.beta1 ?? 0.9,
      beta2: o.beta2 ?? 0.999,
      epsilon: o.epsilon ?? 1e-7,
      rho: o.rho,
      centered: o.centered,
      clipValue: o.clipValue,
      clipNorm: o.clipNorm !== null ? { kind: 'norm', value: o.clipNorm } : o.globalClipNorm !== null ? { kind: 'global', value: o.globalClipNorm } : null,
      amsgrad: o.amsgrad === true,
      decay: o.weightDecay !== null && o.weightDecay > 0,
    },
  };
}

/** The GPU copies of one training data's input, targets and sample weights (null without). */
export interface BoundData {
  data: DataArrays;
  x: GpuCopy;
  y: GpuCopy;
  w: GpuCopy | null;
}

/** Release a data's GPU copies. */
export function releaseData(b: BoundData): void {
  b.x.release();
  b.y.release();
  b.w?.release();
}

/** GPU copies of `data`'s input (as float32 words), targets (as tfjs stores them) and sample weights (float32 words). */
export function copiesOf(k: GpuKernels, data: DataArrays): BoundData {
  const x = k.gpuCopyOf(data.xs[0], true);
  let y: GpuCopy | null = null;
  try {
    // the targets as tfjs stores them (int32 words for an int32 tensor, or a float32 one cast from int32)
    y = k.gpuCopyOf(data.ys[0]);
    if (y.storage !== 'int32' && y.storage !== 'float32') throw new Error(`Internal: targets stored as ${y.storage}`);
    const sw = data.sampleWeights?.[0];
    return { data, x, y, w: sw ? k.gpuCopyOf(sw, true) : null };
  } catch (e) {
    x.release();
    y?.release();
    throw e;
  }
}

const targetsOf = (b: BoundData): 'i32' | 'f32' => (b.y.storage === 'int32' ? 'i32' : 'f32');

/**
 * The compiled training step of a dense chain on WebGPU, for batches of up to `capacity` rows:
 * of the arrays of `fit(x, y)`, or of a dataset's batches (its first batch's own tensors, then the
 * whole columns of its row view, each bound when a step first reads it).
 */
/** The GPU copy of a fixed batch's index tensor `t`, made at its first batch and kept in `fixed` (released with the fit or pass). */
export function indexCopy(k: GpuKernels, fixed: Map<Tensor, GpuCopy>, t: Tensor): GpuCopy['buffer'] {
  let c = fixed.get(t);
  if (!c) {
    c = k.gpuCopyOf(t);
    if (c.storage !== 'int32') throw new Error(`Internal: batch indices stored as ${c.storage}`);
    fixed.set(t, c);
  }
  return c.buffer;
}

export class GpuDensePlan {
  private readonly places: Place[] = [];
  private readonly known = new Map<Variable, unknown>();
  private readonly fixed = new Map<Tensor, GpuCopy>();
  private iter = 0;
  private dirty = false;
  // what the order area of the index buffer holds: an epoch's order (its ArrayBuffer), the identity of n rows, or nothing
  private indexSource: ArrayBufferLike | { identity: number } | null = null;

  private readonly maxBinding: number;

  private constructor(
    private readonly k: GpuKernels,
    device: GpuDevice,
    private readonly spec: PlanSpec,
    private readonly gp: GpuTrainingPlan,
    private bound: BoundData,
    /** Largest batch. */
    readonly capacity: number,
  ) {
    this.maxBinding = device.limits.maxStorageBufferBindingSize;
    spec.layers.forEach((l, i) => {
      this.places.push({ v: l.kernel, trainable: l.trainable, ...gp.kernels[i] });
      const b = gp.biases[i];
      if (l.bias && b) this.places.push({ v: l.bias, trainable: l.trainable, ...b });
    });
  }

  /**
   * The plan on `device` for `data` (see `gpuPlanReason` first), with the weights and optimizer
   * state loaded; `extras`: the WGSL extras where `needsWgslExtras` says the plan uses them.
   */
  static create(k: GpuKernels, device: GpuDevice, spec: PlanSpec, data: DataArrays, capacity: number, extras: WgslExtras | null): GpuDensePlan {
    const why = gpuPlanReason(spec, data, device.limits.maxStorageBufferBindingSize);
    if (why) throw new Error(`fit: a batch the WebGPU plan cannot take: ${why}; compile({ jitCompile: false }) to train on the gradient tape`);
    const bound = copiesOf(k, data);
    let gp: GpuTrainingPlan | null = null;
    try {
      const config: GpuPlanConfig = {
        ...gpuKernelSpec(spec, targetsOf(bound), bound.w !== null),
        extras,
        capacity,
        x: bound.x.buffer,
        y: bound.y.buffer,
        w: bound.w?.buffer ?? null,
        rows: data.n,
      };
      gp = k.GpuTrainingPlan.create(device, config);
      const plan = new GpuDensePlan(k, device, spec, gp, bound, capacity);
      plan.loadWeights(false);
      plan.loadState();
      return plan;
    } catch (e) {
      gp?.destroy();
      releaseData(bound);
      throw e;
    }
  }

  /** Compute dispatches per training step. */
  get dispatchesPerStep(): number {
    return this.gp.dispatchesPerStep;
  }

  /** Command buffers of steps submitted since the plan was made (several steps share one). */
  get stepSubmits(): number {
    return this.gp.stepSubmits;
  }

  /** Copy `src` into the plan's buffer `dst` at `offset` through a GPU copy of its values. */
  private copyIn(dst: GpuTrainingPlan['params'], offset: number, length: number, src: Tensor): void {
    const c = this.k.gpuCopyOf(src, true);
    try {
      this.gp.load(dst, offset, c.buffer, length);
    } finally {
      c.release();
    }
  }

  /** Read every variable (or those assigned since the plan last saw them) into the parameter buffer. */
  private loadWeights(onlyChanged: boolean): void {
    for (const p of this.places) {
      const id = (p.v as unknown as { dataId: unknown }).dataId;
      if (onlyChanged && this.known.get(p.v) === id) continue;
      this.copyIn(this.gp.params, p.offset, p.length, p.v);
      this.known.set(p.v, id);
    }
  }

  /** Read the optimizer's state of the plan's variables (creating it as a first update would). */
  private loadState(): void {
    const opt = this.spec.optimizer.optimizer;
    opt.build(this.places.filter((p) => p.trainable).map((p) => p.v));
    this.iter = opt.iterations;
    if (this.gp.slots.length === 0) return;
    const io = opt as unknown as OptimizerIo;
    const names = io.getWeightNames();
    const ws = io.getWeights();
    try {
      for (const p of this.places.filter((q) => q.trainable)) {
        this.spec.optimizer.slots.forEach((slot, s) => {
          const i = names.indexOf(`${p.v.name}/${slot}`);
          if (i < 0) throw new Error(`Internal: no optimizer state "${p.v.name}/${slot}"`);
          this.copyIn(this.gp.slots[s], p.offset, p.length, ws[i]);
        });
      }
    } finally {
      for (const w of ws) w.dispose();
    }
  }

  /** A new pass (an epoch): zero the sums, and upload the next order of rows when it comes. */
  startPass(): void {
    this.gp.resetSums();
    this.indexSource = null;
  }

  /** Train on `data` from now on (a dataset's next arrays): its GPU copies replace the bound ones. */
  private rebind(data: DataArrays): void {
    const why = gpuDataReason(this.spec, data, this.maxBinding);
    if (why) throw new Error(`fit: a batch the WebGPU plan cannot take: ${why}; compile({ jitCompile: false }) to train on the gradient tape`);
    const next = copiesOf(this.k, data);
    const old = this.bound;
    try {
      // the steps recorded on the old copies are submitted before they are released
      this.gp.bindData(next.x.buffer, next.y.buffer, data.n, targetsOf(next), next.w?.buffer ?? null);
    } catch (e) {
      releaseData(next);
      throw e;
    }
    this.bound = next;
    this.indexSource = null;
    releaseData(old);
  }

  /** Where the rows `indices` of the bound data are for the GPU plan, and how many. */
  private rowsOf(data: DataArrays, indices: BatchIndices): { n: number; rows: GpuRows } {
    if (indices === null) {
      const n = data.n;
      const src = this.indexSource;
      if (src === null || !('identity' in src) || src.identity < n) {
        this.gp.writeIndices(Int32Array.from({ length: n }, (_, i) => i));
        this.indexSource = { identity: n };
      }
      return { n, rows: { offset: 0 } };
    }
    if (indices instanceof Int32Array) {
      const order = new Int32Array(indices.buffer);
      // an array of its own (a dataset's batch) or a view into more than the data's rows: this
      // step's indices alone; a view of an epoch's order: the whole order goes up once, each batch
      // is an offset into it
      if (order.length === indices.length || order.length > data.n) return { n: indices.length, rows: { values: indices } };
      if (this.indexSource !== indices.buffer) {
        this.gp.writeIndices(order);
        this.indexSource = indices.buffer;
      }
      return { n: indices.length, rows: { offset: indices.byteOffset / 4 } };
    }
    // a fixed batch's index tensor (unshuffled batches): its row indices when fit made it (written
    // with the step, no copy on the device), else a GPU copy kept for the fit
    const known = fixedRowsOf(indices);
    if (known && known.length === indices.size) return { n: indices.size, rows: { values: known } };
    return { n: indices.size, rows: { buffer: indexCopy(this.k, this.fixed, indices) } };
  }

  /** Rows in a step on the rows `indices` of `data` (all of them when null). */
  static rowsIn(data: DataArrays, indices: BatchIndices): number {
    return indices === null ? data.n : indices instanceof Int32Array ? indices.length : indices.size;
  }

  /**
   * One training step on the rows `indices` of `data` (all of them when null): recorded, and
   * submitted with the steps after it unless something reads the plan first. Returns the batch's rows.
   */
  step(data: DataArrays, indices: BatchIndices): number {
    // tfjs's recorded work (a callback's ops) goes to the queue before the step's
    this.k.submitBackendWork();
    if (data.xs[0] !== this.bound.data.xs[0] || data.ys[0] !== this.bound.data.ys[0] || data.sampleWeights?.[0] !== this.bound.data.sampleWeights?.[0]) this.rebind(data);
    this.loadWeights(true);
    const { n, rows } = this.rowsOf(data, indices);
    const opt = this.spec.optimizer.optimizer;
    const lr = opt.learningRateSchedule ? opt.learningRateSchedule(this.iter) : opt.learningRate;
    this.iter += 1;
    const b1 = opt.beta1 ?? 0.9, b2 = opt.beta2 ?? 0.999;
    const alpha = this.spec.optimizer.kind === 'adam' ? (lr * Math.sqrt(1 - b2 ** this.iter)) / (1 - b1 ** this.iter) : 0;
    const decay = opt.weightDecay !== null && opt.weightDecay > 0 ? 1 - opt.weightDecay * lr : 1;
    // each Dropout's mask drawn by the layer itself (its own seed stream: the tape's draw), a GPU
    // copy the step reads, released once the step is submitted
    const masks = this.spec.layers.map((l) => (l.dropout ? this.drawMask(l.dropout, n, l.units) : null));
    try {
      this.gp.step({ n, rows, learningRate: lr, alpha, decay, masks: masks.map((c) => c?.buffer ?? null) });
    } finally {
      this.gp.whenSubmitted(() => masks.forEach((c) => c?.release()));
    }
    this.dirty = true;
    return n;
  }

  /**
   * A Dropout layer's mask for `n` rows of `units`, as a GPU copy: the numbers its training call
   * would multiply by (the layer's next key through `dropoutMask`), without running the layer.
   */
  private drawMask(d: { layer: PlanSpec['layers'][number]['layer']; rate: number }, n: number, units: number): GpuCopy {
    const mask = tensor(dropoutMask(nextMaskKey(d.layer), d.rate, n * units), [n, units]);
    try {
      return this.k.gpuCopyOf(mask, true);
    } finally {
      mask.dispose();
    }
  }

  /** The pass's loss and metric sums (one read-back from the device). */
  async readSums(): Promise<GpuSums> {
    const s = await this.gp.readSums();
    return { lossSum: s[0], metricSums: this.spec.metrics.map((_, i) => s[1 + i]) };
  }

  /** Bring the model's variables up to date (GPU-to-GPU copies, after steps since the last call). */
  flushWeights(): void {
    if (!this.dirty) return;
    this.places.forEach((p, i) => {
      // a frozen layer's weights are never changed by the plan
      if (!p.trainable || isDisposed(p.v)) return;
      const buf = this.gp.extract(i, this.gp.params, p.offset, p.length);
      tidy(() => p.v.assign(this.k.tensorFromGpu(buf, p.v.shape)));
      this.known.set(p.v, (p.v as unknown as { dataId: unknown }).dataId);
    });
    this.dirty = false;
  }

  /** Bring the optimizer's state (iterations, slots) up to date. */
  flushState(): void {
    const opt = this.spec.optimizer.optimizer as unknown as OptimizerIo;
    if (opt.iterations === this.iter) return;
    const names = opt.getWeightNames();
    const ws = opt.getWeights();
    const fresh: Tensor[] = [scalar(this.iter, 'int32')];
    const replaced = new Map<number, Tensor>([[0, fresh[0]]]);
    try {
      this.places.forEach((p, i) => {
        if (!p.trainable) return;
        this.spec.optimizer.slots.forEach((slot, s) => {
          const at = names.indexOf(`${p.v.name}/${slot}`);
          const buf = this.gp.extract((s + 1) * this.places.length + i, this.gp.slots[s], p.offset, p.length);
          const t = this.k.tensorFromGpu(buf, p.v.shape);
          fresh.push(t);
          replaced.set(at, t);
        });
      });
      opt.setWeights(ws.map((w, i) => replaced.get(i) ?? w));
    } finally {
      for (const w of ws) w.dispose();
      for (const t of fresh) t.dispose();
    }
  }

  /** Bring everything up to date and free the GPU buffers and copies. */
  dispose(): void {
    try {
      this.flushWeights();
      this.flushState();
    } finally {
      this.k.submitBackendWork();
      this.gp.destroy();
      releaseData(this.bound);
      for (const c of this.fixed.values()) c.release();
      this.fixed.clear();
    }
  }
}
