// A dense chain's training step on a GPU device: the parameters, gradients and optimizer state
// in three flat buffers, each layer's outputs and gradients in buffers of the largest batch,
// the training arrays bound whole with each batch's rows picked by an index buffer, and the
// epoch's loss and metric sums kept on the device. One step is one compute pass: per layer a
// forward product (bias and activation fused), the loss with its gradient and the metric counts,
// per layer the weight gradient (bias gradient fused as one more row) and the input gradient
// (activation derivative fused), and one optimizer pass. Several steps share one command encoder
// (one submit) when nothing reads or writes the plan's buffers between them.
import { BufferUsage } from './gpu-types';
import { kernelBinding, placeRows, readFloats, recordPass, UNIFORM_SLOT, writeStepUniform, type Dispatch, type Resource } from './pipelines';
import { layerRange, paramLayout, type GpuPlace } from './param-layout';
import type { GpuBuffer, GpuCommandEncoder, GpuDevice } from './gpu-types';
import {
  forwardKernel,
  inputGradKernel,
  lossKernel,
  optimizerKernel,
  optimizerSlots,
  productGroups,
  weightGradKernel,
  OPTIMIZER_THREADS,
  STEP_BYTES,
  type Kernel,
  type KernelLayer,
  type LossSpec,
  type OptimizerSpec,
  type WgslExtras,
} from './wgsl';

/** What a GPU training plan computes. */
export interface GpuPlanConfig {
  layers: KernelLayer[];
  /** The loss (`targets`: how the first data's targets are stored; `bindData` may change it). */
  loss: LossSpec;
  reduction: 'mean' | 'sum';
  optimizer: OptimizerSpec;
  /** Largest batch. */
  capacity: number;
  /** The first training data (all rows; `bindData` binds others): inputs `[rows, layers[0].inDim]` float32, targets (`loss.targets`). */
  x: GpuBuffer;
  y: GpuBuffer;
  rows: number;
  /** The first data's sample weights (float32, one a row), where `loss.weighted`. */
  w?: GpuBuffer | null;
  /** Steps recorded in one command encoder before it is submitted (default `STEPS_PER_SUBMIT`). */
  stepsPerSubmit?: number;
  /** The WGSL extras (`loadWgslExtras`), where `needsWgslExtras(config)` says the plan uses them. */
  extras?: WgslExtras | null;
}

/**
 * Whether a plan of `config` uses the WGSL extras: RMSprop or Adagrad, sigmoid cross-entropy,
 * metrics other than the (sparse) categorical accuracy, weight penalties, Dropout, sample weights,
 * AMSGrad, gradient clipping by norm.
 */
export function needsWgslExtras(config: Pick<GpuPlanConfig, 'layers' | 'loss' | 'optimizer'>): boolean {
  return (
    config.optimizer.kind === 'rmsprop' ||
    config.optimizer.kind === 'adagrad' ||
    config.loss.kind === 'sigmoid_ce' ||
    config.loss.weighted === true ||
    config.optimizer.amsgrad === true ||
    !!config.optimizer.clipNorm ||
    config.loss.metrics.some((m) => m.kind !== 'categorical_accuracy' && m.kind !== 'sparse_categorical_accuracy') ||
    config.layers.some((l) => !!l.kernelPenalty || !!l.biasPenalty || l.dropout === true)
  );
}

/** The WGSL extras, loaded by the caller's `loadWgslExtras`. */
export async function loadWgslExtras(): Promise<WgslExtras> {
  return (await import('./wgsl-extras')).wgslExtras;
}

function needExtras(config: GpuPlanConfig): WgslExtras {
  if (!config.extras) throw new Error('Internal: a WebGPU plan with weight penalties or Dropout needs the WGSL extras (loadWgslExtras)');
  return config.extras;
}

/**
 * Where a step's rows are: an offset into the order `writeIndices` wrote (an epoch's shuffled
 * order), the row indices themselves, or a GPU buffer holding them (int32, from its start).
 */
export type GpuRows = { offset: number } | { values: Int32Array } | { buffer: GpuBuffer };

/** One step's settings. */
export interface GpuStepSettings {
  /** Rows in the batch. */
  n: number;
  /** Which rows of the bound data. */
  rows: GpuRows;
  learningRate: number;
  /** Adam's bias-corrected step `lr·√(1−β₂ᵗ)/(1−β₁ᵗ)` (unused otherwise). */
  alpha: number;
  /** Per layer, the step's Dropout mask (`n × units` float32 from the buffer's start) for a layer with `dropout`, else null. */
  masks?: (GpuBuffer | null)[];
  /** The weight-decay factor `1 − wd·lr` (1: none). */
  decay: number;
}

/**
 * Steps one command encoder holds by default: the steps of a pass are recorded into one encoder
 * and submitted every this many steps, or sooner when anything reads or writes the plan's
 * buffers (the sums, the weights, the index order, new data).
 */
export const STEPS_PER_SUBMIT = 8;


/** A dispatch's kernel and buffers, made again by `bindData` (they may bind the data and the index buffer). */
type Maker = () => { kernel: Kernel; resources: Resource[] };

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** A binding of a whole buffer. */
const whole = (buffer: GpuBuffer) => ({ buffer });

/** The training step of a dense chain on `device`, laid out once for batches of up to `capacity` rows. */
export class GpuTrainingPlan {
  /** Each layer's kernel and bias in the flat buffers (the bias follows the kernel's rows). */
  readonly kernels: GpuPlace[];
  readonly biases: (GpuPlace | null)[];
  /** Compute dispatches one step records. */
  readonly dispatchesPerStep: number;
  /** Steps one command encoder holds at most. */
  readonly stepsPerSubmit: number;
  /** Steps run since the plan was made. */
  steps = 0;
  /** Command buffers of steps submitted since the plan was made (one per `stepsPerSubmit` steps or fewer). */
  stepSubmits = 0;
  readonly params: GpuBuffer;
  readonly grads: GpuBuffer;
  readonly slots: GpuBuffer[];
  private idx: GpuBuffer;
  /** Floats of the index buffer before the pending steps' own slots (the order `writeIndices` writes). */
  private orderCapacity: number;
  private x: GpuBuffer;
  private y: GpuBuffer;
  private targets: LossSpec['targets'];
  private w: GpuBuffer | null;
  private readonly sums: GpuBuffer;
  private readonly sumsRead: GpuBuffer;
  private readonly stepUniform: GpuBuffer;
  private readonly owned: GpuBuffer[] = [];
  private readonly dispatches: Dispatch[] = [];
  private readonly makers: Maker[] = [];
  private readonly stepData = new ArrayBuffer(STEP_BYTES);
  private reading: Promise<unknown> = Promise.resolve();
  private readonly staging = new Map<number, GpuBuffer>();
  /** The command encoder of steps recorded and not yet submitted, and how many. */
  private pending: { encoder: GpuCommandEncoder; steps: number } | null = null;
  /** What to do once the pending steps are submitted (release the buffers they copy from). */
  private afterSubmit: (() => void)[] = [];
  /** Per layer with a Dropout: its masks (one slot of `capacity × units` per pending step), and its masked output. */
  private readonly masks: (GpuBuffer | null)[];
  private destroyed = false;

  private constructor(
    private readonly device: GpuDevice,
    private readonly config: GpuPlanConfig,
  ) {
    this.stepsPerSubmit = Math.max(1, Math.floor(config.stepsPerSubmit ?? STEPS_PER_SUBMIT));
    const { kernels, biases, count, trained } = paramLayout(device, config.layers);
    this.kernels = kernels;
    this.biases = biases;
    this.params = this.buffer(count);
    this.grads = this.buffer(count);
    this.slots = Array.from({ length: optimizerSlots(config.optimizer) }, () => this.buffer(count));
    this.x = config.x;
    this.y = config.y;
    this.targets = config.loss.targets;
    this.w = config.w ?? null;
    if ((config.loss.weighted === true) !== (this.w !== null)) throw new Error('Internal: a weighted GPU plan needs its sample weights (and only it)');
    this.orderCapacity = Math.max(config.rows, 1);
    this.idx = this.indexBuffer();
    this.sums = this.buffer(1 + config.loss.metrics.length);
    this.sumsRead = this.own(device.createBuffer({ size: this.sums.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: 'plan sums read' }));
    this.stepUniform = this.own(device.createBuffer({ size: UNIFORM_SLOT * this.stepsPerSubmit, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'plan step' }));
    const cap = config.capacity;
    const outs = config.layers.map((l) => this.buffer(cap * l.units));
    this.masks = config.layers.map((l) => (l.dropout ? this.buffer(this.stepsPerSubmit * cap * l.units) : null));
    const dropped = config.layers.map((l) => (l.dropout ? this.buffer(cap * l.units) : null));
    const deltas = config.layers.map((l) => this.buffer(cap * l.units));
    const L = config.layers.length;
    const seg = (buf: GpuBuffer, l: number) => ({ buffer: buf, ...layerRange(kernels, biases, l) });
    // the first layer reads the bound data through the index buffer: made again by bindData
    const input = (l: number) => (l === 0 ? this.x : (dropped[l - 1] ?? outs[l - 1]));
    // forward
    config.layers.forEach((l, i) => {
      const make = () => ({ kernel: forwardKernel(l, i === 0), resources: [whole(input(i)), whole(this.idx), seg(this.params, i), whole(outs[i])] });
      this.add(make, (n) => productGroups(n, l.units));
      const m = this.masks[i];
      const d = dropped[i];
      if (m && d) {
        const x = needExtras(config);
        this.add(() => ({ kernel: x.dropoutKernel(l.units, cap), resources: [whole(outs[i]), whole(m), whole(d)] }), (n) => [Math.ceil((n * l.units) / x.dropoutThreads), 1]);
      }
    });
    // loss
    const loss = () => ({
      kernel: lossKernel({ ...config.loss, targets: this.targets }, config.extras),
      resources: [whole(outs[L - 1]), whole(this.idx), whole(this.y), whole(deltas[L - 1]), whole(this.sums), ...(this.w ? [whole(this.w)] : [])],
    });
    this.add(loss, () => [1, 1]);
    // backward: the weight gradients of the trained layers, the input gradients down to the lowest one
    const trains = (l: KernelLayer) => l.trainable !== false;
    const lowest = config.layers.findIndex(trains);
    for (let i = L - 1; i >= 0; i--) {
      const l = config.layers[i];
      if (trains(l)) {
        const wg = () => ({ kernel: weightGradKernel(l, i === 0), resources: [whole(input(i)), whole(this.idx), whole(deltas[i]), seg(this.grads, i)] });
        this.add(wg, () => productGroups(l.inDim + (l.bias ? 1 : 0), l.units));
      }
      if (i > lowest) {
        const m = this.masks[i - 1];
        const ig = () => ({
          kernel: inputGradKernel(l, config.layers[i - 1].activation, m ? cap : 0),
          resources: [whole(deltas[i]), seg(this.params, i), whole(outs[i - 1]), whole(deltas[i - 1]), ...(m ? [whole(m)] : [])],
        });
        this.add(ig, (n) => productGroups(n, l.inDim));
      }
    }
    // the weight penalties: their loss, and their gradients added to the trained layers' (before the update)
    config.layers.forEach((l, i) => {
      if (!l.kernelPenalty && !l.biasPenalty) return;
      this.add(() => ({ kernel: needExtras(config).penaltyKernel(l), resources: [seg(this.params, i), seg(this.grads, i), whole(this.sums)] }), () => [1, 1]);
    });
    // gradient clipping by norm, in place, once the gradients (penalties included) are complete
    const clip = config.optimizer.clipNorm ?? null;
    if (clip) {
      const vars = config.layers.flatMap((l, i) => (trains(l) ? [kernels[i], ...(biases[i] ? [biases[i] as GpuPlace] : [])] : []));
      this.add(() => ({ kernel: needExtras(config).clipNormKernel(clip, vars), resources: [whole(this.grads)] }), () => [clip.kind === 'global' ? 1 : vars.length, 1]);
    }
    // the optimizer, over the trained layers' weights (laid out first)
    const groups = Math.max(1, Math.min(Math.ceil(trained / OPTIMIZER_THREADS), device.limits.maxComputeWorkgroupsPerDimension));
    this.add(() => ({ kernel: optimizerKernel(config.optimizer, trained, config.extras), resources: [whole(this.params), whole(this.grads), ...this.slots.map(whole)] }), () => [groups, 1]);
    this.dispatchesPerStep = this.dispatches.length;
  }

  /** Lay a plan out on `device` (its buffers zeroed: load the weights and state before the first step). */
  static create(device: GpuDevice, config: GpuPlanConfig): GpuTrainingPlan {
    return new GpuTrainingPlan(device, config);
  }

  private own(b: GpuBuffer): GpuBuffer {
    this.owned.push(b);
    return b;
  }

  /** A zeroed storage buffer of `floats` 4-byte values (at least 16 bytes). */
  private buffer(floats: number): GpuBuffer {
    return this.own(this.device.createBuffer({ size: Math.max(16, Math.ceil((floats * 4) / 16) * 16), usage: STORAGE }));
  }

  /** The index buffer: the order area, then one batch of indices per pending step. */
  private indexBuffer(): GpuBuffer {
    return this.buffer(this.orderCapacity + this.stepsPerSubmit * this.config.capacity);
  }

  /** The pipeline and bind group of `make()`'s kernel and buffers. */
  private bind(make: Maker): { pipeline: unknown; group: unknown } {
    const { kernel, resources } = make();
    return kernelBinding(this.device, kernel, this.stepUniform, resources);
  }

  private add(make: Maker, groups: (n: number) => [number, number]): void {
    this.makers.push(make);
    this.dispatches.push({ ...this.bind(make), groups });
  }

  /**
   * Train on other data from the next step on (a dataset's whole columns after its first batch's
   * own tensors, say): inputs `x` (`rows` rows), targets `y` stored as `targets`. The steps
   * recorded so far are submitted first (they read the data bound before).
   */
  bindData(x: GpuBuffer, y: GpuBuffer, rows: number, targets: LossSpec['targets'], w: GpuBuffer | null = null): void {
    if ((this.config.loss.weighted === true) !== (w !== null)) throw new Error('Internal: a weighted GPU plan needs its sample weights (and only it)');
    this.submit();
    this.x = x;
    this.y = y;
    this.w = w;
    this.targets = targets;
    if (rows > this.orderCapacity) {
      // the old index buffer is freed once the submitted steps that read it are done
      const old = this.idx;
      this.orderCapacity = rows;
      this.idx = this.indexBuffer();
      this.owned.splice(this.owned.indexOf(old), 1);
      old.destroy();
    }
    this.makers.forEach((make, i) => (this.dispatches[i] = { ...this.dispatches[i], ...this.bind(make) }));
  }

  /** Write the row indices of the coming steps (e.g. an epoch's shuffled order) at `offset` of the order. */
  writeIndices(values: Int32Array, offset = 0): void {
    if (offset + values.length > this.orderCapacity) throw new Error(`Internal: ${offset + values.length} row indices in a GPU plan for ${this.orderCapacity}`);
    this.submit();
    this.device.queue.writeBuffer(this.idx, offset * 4, values.buffer, values.byteOffset, values.byteLength);
  }

  /** Record one training step (submitted with the steps after it: see `stepsPerSubmit` and `submit`). */
  step(s: GpuStepSettings): void {
    const { n } = s;
    if (n < 1 || n > this.config.capacity) throw new Error(`Internal: a batch of ${n} rows in a GPU plan for ${this.config.capacity}`);
    if (!this.pending) this.pending = { encoder: this.device.createCommandEncoder(), steps: 0 };
    const slot = this.pending.steps;
    const e = this.pending.encoder;
    // this step's own indices go to its slot of the index buffer (the pending steps' are all kept)
    const idxOff = placeRows(this.device, e, this.idx, s.rows, n, this.orderCapacity + slot * this.config.capacity);
    // the step's Dropout masks to its slot of each layer's masks
    this.masks.forEach((m, l) => {
      if (!m) return;
      const src = s.masks?.[l];
      if (!src) throw new Error(`Internal: no Dropout mask for layer ${l} of a GPU plan step`);
      const units = this.config.layers[l].units;
      e.copyBufferToBuffer(src, 0, m, slot * this.config.capacity * units * 4, n * units * 4);
    });
    writeStepUniform(this.stepData, { rows: n, indexOffset: idxOff, learningRate: s.learningRate, alpha: s.alpha, decay: s.decay, reduction: this.config.reduction, slot });
    this.device.queue.writeBuffer(this.stepUniform, slot * UNIFORM_SLOT, this.stepData);
    recordPass(e, this.dispatches, n, slot);
    this.pending.steps += 1;
    this.steps += 1;
    if (this.pending.steps >= this.stepsPerSubmit) this.submit();
  }

  /** Submit the steps recorded and not yet submitted (a no-op when there are none). */
  submit(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.device.queue.submit([p.encoder.finish()]);
    this.stepSubmits += 1;
    const after = this.afterSubmit;
    this.afterSubmit = [];
    for (const f of after) f();
  }

  /** Run `f` once the steps recorded so far are submitted (now, when none is pending). */
  whenSubmitted(f: () => void): void {
    if (this.pending) this.afterSubmit.push(f);
    else f();
  }

  /** Zero the loss and metric sums (at the start of an epoch). */
  resetSums(): void {
    this.submit();
    this.device.queue.writeBuffer(this.sums, 0, new Float32Array(this.sums.size / 4));
  }

  /** The sums so far: `[Σ loss, Σ metric 0, ...]` (one read-back). */
  readSums(): Promise<Float32Array> {
    this.submit();
    const next = readFloats(this.device, this.sums, this.sumsRead, 1 + this.config.loss.metrics.length, this.reading);
    this.reading = next.catch(() => undefined);
    return next;
  }

  /** Copy `length` floats of `src` (from its start) into `dst` at float `offset`. */
  load(dst: GpuBuffer, offset: number, src: GpuBuffer, length: number): void {
    this.submit();
    const e = this.device.createCommandEncoder();
    e.copyBufferToBuffer(src, 0, dst, offset * 4, length * 4);
    this.device.queue.submit([e.finish()]);
  }

  /**
   * A buffer (the plan's, reused by the next call for the same `key`) holding `length` floats of
   * `src` from float `offset`: for a tensor to copy from (see `tensorFromGpu`).
   */
  extract(key: number, src: GpuBuffer, offset: number, length: number): GpuBuffer {
    let b = this.staging.get(key);
    // exactly the values' size: a tensor made from a buffer takes all of it
    if (!b || b.size !== length * 4) {
      b?.destroy();
      b = this.device.createBuffer({ size: length * 4, usage: STORAGE });
      this.staging.set(key, b);
    }
    this.submit();
    const e: GpuCommandEncoder = this.device.createCommandEncoder();
    e.copyBufferToBuffer(src, offset * 4, b, 0, length * 4);
    this.device.queue.submit([e.finish()]);
    return b;
  }

  /** Free the plan's buffers (queued work finishes first: the queue holds them until then). */
  destroy(): void {
    if (this.destroyed) return;
    this.submit();
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
    for (const b of this.staging.values()) b.destroy();
    this.staging.clear();
  }
}
