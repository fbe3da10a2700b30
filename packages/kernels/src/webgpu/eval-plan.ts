// A dense chain's loss and metrics on a GPU device, for evaluate and fit's validation: the
// weights copied into one flat buffer, the data bound whole (each batch's rows picked through an
// index buffer whose first `rows` entries are the identity, so a run of consecutive rows is an
// offset), per batch the forward products (bias and activation fused) and the training step's
// loss kernel (its gradient written to a scratch buffer nobody reads), plus each penalized
// layer's L1/L2 term, all summed on the device. Batches are recorded into one command encoder,
// submitted every `batchesPerSubmit` batches or when the sums are read: one read-back a pass.
import { BufferUsage } from './gpu-types';
import type { GpuBuffer, GpuCommandEncoder, GpuDevice } from './gpu-types';
import { kernelBinding, placeRows, readFloats, recordPass, UNIFORM_SLOT, writeStepUniform, type Dispatch, type Resource } from './pipelines';
import { layerRange, paramLayout, type GpuPlace } from './param-layout';
import { forwardKernel, lossKernel, productGroups, STEP_BYTES, type Kernel, type KernelLayer, type LossSpec, type WgslExtras } from './wgsl';
import type { GpuRows } from './training-plan';

/** What an evaluation plan computes. */
export interface GpuEvalConfig {
  /** The chain (`dropout` and `trainable` are ignored: Dropout is the identity, nothing is trained). */
  layers: KernelLayer[];
  loss: LossSpec;
  reduction: 'mean' | 'sum';
  /** Largest batch. */
  capacity: number;
  /** The data (all rows): inputs `[rows, layers[0].inDim]` float32, targets stored as `loss.targets`. */
  x: GpuBuffer;
  y: GpuBuffer;
  rows: number;
  /** The sample weights (float32, one a row), where `loss.weighted`. */
  w?: GpuBuffer | null;
  /** Batches recorded in one command encoder before it is submitted (default `BATCHES_PER_SUBMIT`). */
  batchesPerSubmit?: number;
  /** The WGSL extras (`loadWgslExtras`) where the loss, a metric or a penalty needs them. */
  extras?: WgslExtras | null;
}

/** Batches one command encoder of an evaluation holds by default. */
export const BATCHES_PER_SUBMIT = 64;

const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

const whole = (buffer: GpuBuffer): Resource => ({ buffer });

/** A copy into the parameter buffer: `length` floats of `src` (from its start) at float `offset`. */
export interface GpuParamCopy {
  offset: number;
  src: GpuBuffer;
  length: number;
}

/** The loss and metric sums of a dense chain over batches of bound data (load the weights, record `batch`es, `readSums`). */
export class GpuEvalPlan {
  /** Each layer's kernel and bias in the flat parameter buffer. */
  readonly kernels: GpuPlace[];
  readonly biases: (GpuPlace | null)[];
  readonly params: GpuBuffer;
  /** Compute dispatches per batch. */
  readonly dispatchesPerBatch: number;
  /** Batches recorded so far, and the command buffers they were submitted in. */
  batches = 0;
  batchSubmits = 0;
  private readonly batchesPerSubmit: number;
  private readonly idx: GpuBuffer;
  private readonly sums: GpuBuffer;
  private readonly sumsRead: GpuBuffer;
  private readonly uniform: GpuBuffer;
  private readonly owned: GpuBuffer[] = [];
  private readonly dispatches: Dispatch[] = [];
  private readonly stepData = new ArrayBuffer(STEP_BYTES);
  private pending: { encoder: GpuCommandEncoder; batches: number } | null = null;
  /** The read-back in flight (the next waits for it: one mapping of the read buffer at a time). */
  private reading: Promise<unknown> = Promise.resolve();
  private destroyed = false;

  private constructor(
    private readonly device: GpuDevice,
    private readonly config: GpuEvalConfig,
  ) {
    this.batchesPerSubmit = Math.max(1, Math.floor(config.batchesPerSubmit ?? BATCHES_PER_SUBMIT));
    const layers = config.layers.map((l) => ({ ...l, dropout: false, trainable: false }));
    const { kernels, biases, count } = paramLayout(device, layers);
    this.kernels = kernels;
    this.biases = biases;
    this.params = this.buffer(count);
    const cap = config.capacity;
    const rows = Math.max(config.rows, 1);
    this.idx = this.buffer(rows + this.batchesPerSubmit * cap);
    device.queue.writeBuffer(this.idx, 0, Int32Array.from({ length: rows }, (_, i) => i));
    this.sums = this.buffer(1 + config.loss.metrics.length);
    this.sumsRead = this.own(device.createBuffer({ size: this.sums.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST, label: 'eval sums read' }));
    this.uniform = this.own(device.createBuffer({ size: UNIFORM_SLOT * this.batchesPerSubmit, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'eval step' }));
    const L = layers.length;
    const outs = layers.map((l) => this.buffer(cap * l.units));
    const scratch = this.buffer(cap * layers[L - 1].units);
    const seg = (l: number): Resource => ({ buffer: this.params, ...layerRange(kernels, biases, l) });
    layers.forEach((l, i) => {
      this.add([forwardKernel(l, i === 0), [whole(i === 0 ? config.x : outs[i - 1]), whole(this.idx), seg(i), whole(outs[i])]], (n) => productGroups(n, l.units));
    });
    if ((config.loss.weighted === true) !== !!config.w) throw new Error('Internal: a weighted evaluation plan needs its sample weights (and only it)');
    const w = config.w ? [whole(config.w)] : [];
    this.add([lossKernel(config.loss, config.extras), [whole(outs[L - 1]), whole(this.idx), whole(config.y), whole(scratch), whole(this.sums), ...w]], () => [1, 1]);
    // the L1/L2 terms of the loss (Keras's evaluation adds `model.losses` too): frozen-layer kernels, no gradient
    const noGrads = this.buffer(4);
    layers.forEach((l, i) => {
      if (!l.kernelPenalty && !l.biasPenalty) return;
      if (!config.extras) throw new Error('Internal: an evaluation with weight penalties needs the WGSL extras (loadWgslExtras)');
      this.add([config.extras.penaltyKernel(l), [seg(i), whole(noGrads), whole(this.sums)]], () => [1, 1]);
    });
    this.dispatchesPerBatch = this.dispatches.length;
  }

  /** Largest batch the plan takes. */
  get batchCapacity(): number {
    return this.config.capacity;
  }

  /** Lay an evaluation plan out on `device` (its sums zeroed; load the weights before the first batch). */
  static create(device: GpuDevice, config: GpuEvalConfig): GpuEvalPlan {
    return new GpuEvalPlan(device, config);
  }

  private own(b: GpuBuffer): GpuBuffer {
    this.owned.push(b);
    return b;
  }

  private buffer(floats: number): GpuBuffer {
    return this.own(this.device.createBuffer({ size: Math.max(16, Math.ceil((floats * 4) / 16) * 16), usage: STORAGE }));
  }

  private add([kernel, resources]: [Kernel, Resource[]], groups: (n: number) => [number, number]): void {
    this.dispatches.push({ ...kernelBinding(this.device, kernel, this.uniform, resources), groups });
  }

  /** Copy the weights into the parameter buffer (one command buffer; the sources may be released after it). */
  loadParams(copies: GpuParamCopy[]): void {
    this.submit();
    const e = this.device.createCommandEncoder();
    for (const c of copies) e.copyBufferToBuffer(c.src, 0, this.params, c.offset * 4, c.length * 4);
    this.device.queue.submit([e.finish()]);
  }

  /** Record one batch of `n` rows (`rows`: an offset into the identity of the data's rows, the row indices, or a GPU buffer of them). */
  batch(n: number, rows: GpuRows): void {
    if (this.destroyed) throw new Error('Internal: a batch on a destroyed evaluation plan');
    if (n < 1 || n > this.config.capacity) throw new Error(`Internal: a batch of ${n} rows in a GPU evaluation plan for ${this.config.capacity}`);
    if (!this.pending) this.pending = { encoder: this.device.createCommandEncoder(), batches: 0 };
    const slot = this.pending.batches;
    const e = this.pending.encoder;
    if ('offset' in rows && rows.offset + n > this.config.rows) throw new Error(`Internal: rows ${rows.offset}..${rows.offset + n} of ${this.config.rows}`);
    const idxOff = placeRows(this.device, e, this.idx, rows, n, Math.max(this.config.rows, 1) + slot * this.config.capacity);
    writeStepUniform(this.stepData, { rows: n, indexOffset: idxOff, learningRate: 0, alpha: 0, decay: 1, reduction: this.config.reduction, slot });
    this.device.queue.writeBuffer(this.uniform, slot * UNIFORM_SLOT, this.stepData);
    recordPass(e, this.dispatches, n, slot);
    this.pending.batches += 1;
    this.batches += 1;
    if (this.pending.batches >= this.batchesPerSubmit) this.submit();
  }

  /** Submit the batches recorded and not yet submitted (a no-op when there are none). */
  submit(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.device.queue.submit([p.encoder.finish()]);
    this.batchSubmits += 1;
  }

  /** The sums so far: `[Σ loss, Σ metric 0, ...]` (one read-back). */
  readSums(): Promise<Float32Array> {
    this.submit();
    const next = readFloats(this.device, this.sums, this.sumsRead, 1 + this.config.loss.metrics.length, this.reading);
    this.reading = next.catch(() => undefined);
    return next;
  }

  /** Free the plan's buffers (queued work finishes first: the queue holds them until then). */
  destroy(): void {
    if (this.destroyed) return;
    this.pending = null;
    this.destroyed = true;
    for (const b of this.owned) b.destroy();
    this.owned.length = 0;
  }
}
