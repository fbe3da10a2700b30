// A dense model's training step on WebGPU: the plan of analyze.ts run by @neurona/kernels/webgpu
// on tfjs-backend-webgpu's own device. The training arrays are copied to GPU buffers once per fit
// and each batch's rows are picked on the GPU through an index buffer (an epoch's shuffled order
// is uploaded once); a step is one command encoder; the loss and metric sums stay on the device
// until someone reads them. The variables are brought up to date (GPU-to-GPU copies) where the
// cpu/wasm plan would flush them, the optimizer's state at the end of an epoch.
import { isDisposed, scalar, tidy } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
import type { GpuCopy, GpuDevice, GpuPlanConfig, GpuTrainingPlan } from '@neurona/kernels/webgpu';
import type { BatchIndices, DataArrays } from '../step';
import type { PlanSpec } from './analyze';

/** The parts of @neurona/kernels/webgpu the GPU plan runs on. */
export type GpuKernels = typeof import('@neurona/kernels/webgpu');

const GPU_ACTIVATIONS: readonly string[] = ['linear', 'relu', 'sigmoid', 'tanh'];
const GPU_METRICS: readonly string[] = ['categorical_accuracy', 'sparse_categorical_accuracy'];

/** Values per sample of a tensor `[n, ...]`. */
const rowWidth = (t: Tensor): number => t.shape.slice(1).reduce((a, b) => a * b, 1);

/**
 * Why `spec` on `data` has no WebGPU plan (what the GPU plan does not cover yet: the cpu/wasm
 * plan does), or null when it has one.
 */
export function gpuPlanReason(spec: PlanSpec, data: DataArrays): string | null {
  for (const l of spec.layers) {
    const name = l.layer.name;
    if (!l.trainable) return `layer "${name}" is frozen (the WebGPU plan trains every layer)`;
    if (l.dropout) return `layer "${name}" is followed by Dropout (not in the WebGPU plan yet)`;
    if (l.kernelPenalty || l.biasPenalty) return `layer "${name}" has a weight regularizer (not in the WebGPU plan yet)`;
    if (!GPU_ACTIVATIONS.includes(l.activation)) return `layer "${name}" has activation "${l.activation}" (the WebGPU plan fuses linear, relu, sigmoid, tanh)`;
  }
  if (spec.loss.kind === 'sigmoid_ce') return 'binary cross-entropy is not in the WebGPU plan yet';
  for (const m of spec.metrics) if (!GPU_METRICS.includes(m.kind)) return `the metric ${m.metric.className} is not in the WebGPU plan yet`;
  const o = spec.optimizer.optimizer;
  const kind = spec.optimizer.kind;
  if (kind !== 'sgd' && kind !== 'adam') return `the optimizer ${o.className} is not in the WebGPU plan yet (SGD, Adam, AdamW)`;
  if (o.amsgrad === true) return 'Adam with amsgrad is not in the WebGPU plan yet';
  if (o.clipNorm !== null || o.clipValue !== null || o.globalClipNorm !== null) return 'gradient clipping is not in the WebGPU plan yet';
  const slots = kind === 'adam' ? 2 : (o.momentum ?? 0) !== 0 ? 1 : 0;
  if (spec.optimizer.slots.length !== slots) return `the optimizer ${o.className} keeps ${spec.optimizer.slots.length} slots per variable, the WebGPU plan ${slots}`;
  if (data.xs.length !== 1 || data.ys.length !== 1) return 'the data has several inputs or targets';
  const [x] = data.xs;
  const [y] = data.ys;
  if (x.dtype !== 'float32') return `the input is ${x.dtype}`;
  if (y.dtype !== 'float32' && y.dtype !== 'int32') return `the targets are ${y.dtype}`;
  if (data.sampleWeights?.[0]) return 'sample or class weights are not in the WebGPU plan yet';
  const units = spec.layers[spec.layers.length - 1].units;
  if (rowWidth(x) !== spec.inputSize) return `the input rows have ${rowWidth(x)} values, the model takes ${spec.inputSize}`;
  if (rowWidth(y) !== (spec.loss.sparse ? 1 : units)) return `the target rows have ${rowWidth(y)} values, the loss takes ${spec.loss.sparse ? 1 : units}`;
  return null;
}

interface Place {
  v: Variable;
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

/** The compiled training step of a dense chain on WebGPU, for batches of up to `capacity` rows of `data`. */
export class GpuDensePlan {
  private readonly places: Place[] = [];
  private readonly known = new Map<Variable, unknown>();
  private readonly fixed = new Map<Tensor, GpuCopy>();
  private iter = 0;
  private dirty = false;
  // what the index buffer holds: an epoch's order (its ArrayBuffer), the identity, or a fixed batch's indices
  private indexSource: ArrayBufferLike | 'identity' | Tensor | null = null;

  private constructor(
    private readonly k: GpuKernels,
    private readonly spec: PlanSpec,
    private readonly gp: GpuTrainingPlan,
    private readonly data: DataArrays,
    private readonly copies: GpuCopy[],
  ) {
    spec.layers.forEach((l, i) => {
      this.places.push({ v: l.kernel, ...gp.kernels[i] });
      const b = gp.biases[i];
      if (l.bias && b) this.places.push({ v: l.bias, ...b });
    });
  }

  /** The plan on `device` (see `gpuPlanReason` first), with the weights and optimizer state loaded. */
  static create(k: GpuKernels, device: GpuDevice, spec: PlanSpec, data: DataArrays, capacity: number): GpuDensePlan {
    const x = data.xs[0];
    const y = data.ys[0];
    const copies: GpuCopy[] = [];
    let gp: GpuTrainingPlan | null = null;
    try {
      // the inputs as float32 words; the targets as tfjs stores them (int32 words for an int32 tensor, or a float32 one cast from int32)
      copies.push(k.gpuCopyOf(x, true), k.gpuCopyOf(y));
      if (copies[1].storage !== 'int32' && copies[1].storage !== 'float32') throw new Error(`Internal: targets stored as ${copies[1].storage}`);
      const last = spec.layers[spec.layers.length - 1];
      const o = spec.optimizer.optimizer;
      const config: GpuPlanConfig = {
        layers: spec.layers.map((l) => ({ inDim: l.inDim, units: l.units, bias: l.bias !== null, activation: l.activation as 'linear' })),
        loss: {
          kind: spec.loss.kind === 'mse' ? 'mse' : 'softmax_ce',
          sparse: spec.loss.sparse,
          targets: copies[1].storage === 'int32' ? 'i32' : 'f32',
          units: last.units,
          activation: last.activation as 'linear',
          metrics: spec.metrics.map((m) => m.kind as 'categorical_accuracy'),
        },
        reduction: spec.loss.reduction,
        optimizer: {
          kind: spec.optimizer.kind as 'sgd',
          momentum: o.momentum ?? 0,
          nesterov: o.nesterov === true,
          beta1: o.beta1 ?? 0.9,
          beta2: o.beta2 ?? 0.999,
          epsilon: o.epsilon ?? 1e-7,
          decay: o.weightDecay !== null && o.weightDecay > 0,
        },
        capacity,
        x: copies[0].buffer,
        y: copies[1].buffer,
        rows: data.n,
      };
      gp = k.GpuTrainingPlan.create(device, config);
      const plan = new GpuDensePlan(k, spec, gp, data, copies);
      plan.loadWeights(false);
      plan.loadState();
      return plan;
    } catch (e) {
      gp?.destroy();
      for (const c of copies) c.release();
      throw e;
    }
  }

  /** Compute dispatches per training step. */
  get dispatchesPerStep(): number {
    return this.gp.dispatchesPerStep;
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
    opt.build(this.places.map((p) => p.v));
    this.iter = opt.iterations;
    if (this.gp.slots.length === 0) return;
    const io = opt as unknown as OptimizerIo;
    const names = io.getWeightNames();
    const ws = io.getWeights();
    try {
      for (const p of this.places) {
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

  /** One training step on the rows `indices` of the fit's arrays (all of them when null); returns the batch's rows. */
  step(data: DataArrays, indices: BatchIndices): number {
    if (data.xs[0] !== this.data.xs[0] || data.ys[0] !== this.data.ys[0]) throw new Error('Internal: a GPU plan stepped on arrays other than its own');
    // tfjs's recorded work (a callback's ops) goes to the queue before the step's
    this.k.submitBackendWork();
    this.loadWeights(true);
    let n: number;
    let offset = 0;
    if (indices === null) {
      n = data.n;
      if (this.indexSource !== 'identity') {
        this.gp.writeIndices(Int32Array.from({ length: data.n }, (_, i) => i));
        this.indexSource = 'identity';
      }
    } else if (indices instanceof Int32Array) {
      // a view of the epoch's order: the whole order goes up once, each batch is an offset into it
      n = indices.length;
      const order = new Int32Array(indices.buffer);
      if (order.length > data.n) {
        // not an epoch's order (a view into a larger buffer): this batch's indices alone
        this.gp.writeIndices(indices);
        this.indexSource = null;
      } else {
        if (this.indexSource !== indices.buffer) {
          this.gp.writeIndices(order);
          this.indexSource = indices.buffer;
        }
        offset = indices.byteOffset / 4;
      }
    } else {
      // a fixed batch's index tensor (unshuffled batches): a GPU copy kept for the fit
      n = indices.size;
      let c = this.fixed.get(indices);
      if (!c) {
        c = this.k.gpuCopyOf(indices);
        if (c.storage !== 'int32') throw new Error(`Internal: batch indices stored as ${c.storage}`);
        this.fixed.set(indices, c);
      }
      if (this.indexSource !== indices) {
        this.gp.copyIndices(c.buffer, n);
        this.indexSource = indices;
      }
    }
    const opt = this.spec.optimizer.optimizer;
    const lr = opt.learningRateSchedule ? opt.learningRateSchedule(this.iter) : opt.learningRate;
    this.iter += 1;
    const b1 = opt.beta1 ?? 0.9, b2 = opt.beta2 ?? 0.999;
    const alpha = this.spec.optimizer.kind === 'adam' ? (lr * Math.sqrt(1 - b2 ** this.iter)) / (1 - b1 ** this.iter) : 0;
    const decay = opt.weightDecay !== null && opt.weightDecay > 0 ? 1 - opt.weightDecay * lr : 1;
    this.gp.step({ n, indexOffset: offset, learningRate: lr, alpha, decay });
    this.dirty = true;
    return n;
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
      if (isDisposed(p.v)) return;
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
      for (const c of this.copies) c.release();
      for (const c of this.fixed.values()) c.release();
      this.fixed.clear();
    }
  }
}
