// A dense model's training step as a plan over persistent buffers in the fast kernels' memory:
// forward products with bias and activation fused, the loss and its gradient in one pass,
// backward products with the activation derivative taken from the saved outputs, and one fused
// optimizer pass over the flat parameter buffer. No tensor is made inside a step; the tfjs
// variables are brought up to date when someone can look (`flushWeights`), the optimizer's state
// at the end of an epoch (`flushState`). A convnet's conv and pooling steps run before the dense
// chain (conv-front.ts), their parameters in the same flat buffer.
import { isDisposed, scalar, tensor, tidy } from '@neurona/tensor';
import type { Tensor, Variable } from '@neurona/tensor';
// @neurona/kernels is loaded only where a plan can run (host or wasm-heap memory: see choose.ts),
// so a page on WebGPU never downloads it
import type { FlatSegment, PlanMemory } from '@neurona/kernels';

/** The parts of @neurona/kernels a plan runs on. */
export type PlanKernels = typeof import('@neurona/kernels');
import type { PlanBatch } from './batch-source';
import type { PlanSpec } from './analyze';
import type { ConvFront } from './conv-front';
import { drawDropoutMask } from './dropout-draw';
import { mark, stepProfile } from './step-profile';

/** The convnet part's code (conv-part.ts), loaded only for a model with conv or pooling layers. */
export type ConvPart = typeof import('./conv-part');

const up4 = (n: number) => Math.ceil(n / 4) * 4;
const up8 = (n: number) => Math.ceil(Math.max(n, 1) / 8) * 8;

/** Where one layer's buffers are (float offsets in the plan's memory; -1: none). */
interface LayerLayout {
  /** Kernel `[up4(in), Up]` (extra rows and columns zero) and bias `[Up]`, and their gradients. */
  W: number;
  b: number;
  dW: number;
  db: number;
  /** Columns with padding (a multiple of 8) and rows of the kernel buffer. */
  Up: number;
  Ip4: number;
  /** The layer's output `[rows, Up]` and the gradient with respect to its pre-activation. */
  A: number;
  D: number;
  /** The kernel transposed `[Up, Up of the layer before]`, for the gradient of the input (-1 for the first layer). */
  WT: number;
  /** With a Dropout after the layer: its mask `[rows, Up]` (0 or 1/(1 − rate)) and the dropped output `[rows, Up]` (-1: none). */
  M: number;
  AD: number;
  /** What the next layer reads: `AD` with a Dropout, else `A`. */
  out: number;
}

/** The batch's contribution to the epoch's sums. */
export interface StepSums {
  /** The batch loss (with the weight penalties) times its size. */
  lossSum: number;
  /** Rows in the batch. */
  size: number;
  /** Per compiled metric (in `spec.metrics` order): the sum of its per-sample values. */
  metricSums: number[];
}

/** Where a variable lives in the plan: its parameter offset and padded shape [rows, ld] with the real [rows, cols]. */
interface Place {
  v: Variable;
  off: number;
  rows: number;
  cols: number;
  ld: number;
  trainable: boolean;
}

/** What the optimizer state of the plan's variables looks like in the optimizer's `getWeights`. */
interface OptimizerIo {
  getWeights(): Tensor[];
  setWeights(ws: Tensor[]): void;
  getWeightNames(): string[];
}

/** The compiled training step of a dense chain (see `analyzePlan`), for batches of up to `capacity` rows. */
export class DensePlan {
  private readonly layout: LayerLayout[] = [];
  private readonly vars: Variable[] = [];
  // per variable: its parameter offset and padded shape [rows, ld] with the real [rows, cols]
  private readonly places: Place[] = [];
  // the trainable variables' places (the optimizer's state and the fused update cover these)
  private readonly trained: Place[] = [];
  private readonly segments: FlatSegment[] = [];
  private readonly params: number;
  private readonly grads: number;
  private readonly slots: number[];
  private readonly X: number;
  private readonly Y: number;
  private readonly SW: number;
  private iter = 0;
  private dirty = false;
  // the data each variable had when the plan last read or wrote it: another value means someone
  // assigned it (setWeights in a callback), and the plan reads it again
  private readonly known = new Map<Variable, unknown>();

  private constructor(
    private readonly k: PlanKernels,
    private readonly spec: PlanSpec,
    /** Largest batch the buffers hold. */
    readonly capacity: number,
    private readonly mem: PlanMemory,
    offsets: { layout: LayerLayout[]; X: number; Y: number; SW: number; slots: number[]; params: number; grads: number },
    /** The conv/pool steps before the dense chain, or null for a dense model. */
    private readonly front: ConvFront | null = null,
  ) {
    this.layout = offsets.layout;
    this.params = offsets.params;
    this.grads = offsets.grads;
    this.slots = offsets.slots;
    this.X = offsets.X;
    this.Y = offsets.Y;
    this.SW = offsets.SW;
    for (const f of front?.places() ?? []) this.place(f.isKernel ? f.step.kernel : (f.step.bias as Variable), f.off, f.rows, f.cols, f.ld, f.length, f.step.trainable);
    spec.layers.forEach((l, i) => {
      const o = this.layout[i];
      this.place(l.kernel, o.W, l.inDim, l.units, o.Up, o.Ip4 * o.Up, l.trainable);
      if (l.bias) this.place(l.bias, o.b, 1, l.units, o.Up, o.Up, l.trainable);
    });
  }

  private place(v: Variable, off: number, rows: number, cols: number, ld: number, length: number, trainable: boolean): void {
    const p = { v, off, rows, cols, ld, trainable };
    this.places.push(p);
    if (!trainable) return;
    this.trained.push(p);
    this.vars.push(v);
    this.segments.push({ offset: off - this.params, length });
  }

  /** Lay the buffers out in the fast kernels' memory, or null when it is not available. */
  static create(k: PlanKernels, spec: PlanSpec, capacity: number, conv: ConvPart | null = null): DensePlan | null {
    const rows = up4(capacity) + 4; // products compute rows four at a time
    let at = 0;
    const take = (n: number) => {
      const o = at;
      at += Math.ceil((n + 8) / 16) * 16; // slack: transposed reads run up to 3 values past a row
      return o;
    };
    // parameters first, then gradients in the same layout (one flat buffer each)
    const pLayout: { W: number; b: number; Up: number; Ip4: number }[] = [];
    // the conv steps' parameters first (a convnet's), then the dense layers'
    if (spec.features.length > 0 && !conv) throw new Error('Internal: a convnet plan without its conv part');
    const fp = conv && spec.features.length > 0 ? conv.frontParams(spec.features) : null;
    let p = fp ? fp.floats : 0;
    for (const l of spec.layers) {
      const Up = up8(l.units), Ip4 = up4(l.inDim);
      pLayout.push({ W: p, b: l.bias ? p + Ip4 * Up : -1, Up, Ip4 });
      p += Ip4 * Up + (l.bias ? Up : 0);
    }
    const params = take(p);
    const grads = take(p);
    const slotCount = spec.optimizer.slots.length;
    const slots = Array.from({ length: slotCount }, () => take(p));
    const X = take(rows * spec.inputSize);
    const last = spec.layers[spec.layers.length - 1];
    const Y = take(capacity * (spec.loss.sparse ? 1 : last.units));
    const SW = take(capacity);
    const front = conv && fp ? new conv.ConvFront(k, spec, capacity, fp.params, { params, grads }, take) : null;
    const layout: LayerLayout[] = pLayout.map((q, i) => {
      const prevUp = i > 0 ? pLayout[i - 1].Up : 0;
      const A = take(rows * q.Up);
      const dropout = spec.layers[i].dropout !== null;
      const M = dropout ? take(rows * q.Up) : -1;
      const AD = dropout ? take(rows * q.Up) : -1;
      return {
        W: params + q.W,
        b: q.b < 0 ? -1 : params + q.b,
        dW: grads + q.W,
        db: q.b < 0 ? -1 : grads + q.b,
        Up: q.Up,
        Ip4: q.Ip4,
        A,
        D: take(rows * q.Up),
        WT: i > 0 ? take(q.Up * prevUp) : front?.needsGradient ? take(q.Up * front.gradLd) : -1,
        M,
        AD,
        out: dropout ? AD : A,
      };
    });
    const mem = k.PlanMemory.reserve(at);
    if (!mem) return null;
    const shift = (o: number) => (o < 0 ? o : o + mem.start);
    for (const o of layout) {
      for (const k of ['W', 'b', 'dW', 'db', 'A', 'D', 'WT', 'M', 'AD', 'out'] as const) o[k] = shift(o[k]);
    }
    front?.shift(mem.start);
    const plan = new DensePlan(k, spec, capacity, mem, {
      layout, X: shift(X), Y: shift(Y), SW: shift(SW), slots: slots.map(shift), params: shift(params), grads: shift(grads),
    }, front);
    try {
      plan.loadWeights();
      plan.loadState();
    } catch (e) {
      mem.release();
      throw e;
    }
    return plan;
  }

  /** Read every variable (or those assigned since the plan last saw them) into the plan's memory. */
  private loadWeights(onlyChanged = false): void {
    for (const p of this.places) {
      const id = (p.v as unknown as { dataId: unknown }).dataId;
      if (onlyChanged && this.known.get(p.v) === id) continue;
      const values = p.v.dataSync() as Float32Array;
      const h = this.mem.heap();
      for (let r = 0; r < p.rows; r++) h.set(values.subarray(r * p.cols, (r + 1) * p.cols), p.off + r * p.ld);
      this.known.set(p.v, id);
    }
  }

  /** Read the optimizer's state of the plan's variables (creating it as a first update would). */
  private loadState(): void {
    const opt = this.spec.optimizer.optimizer;
    opt.build(this.vars);
    this.iter = opt.iterations;
    if (this.slots.length === 0) return;
    const io = opt as unknown as OptimizerIo;
    const names = io.getWeightNames();
    const ws = io.getWeights();
    try {
      this.trained.forEach((p) => {
        this.spec.optimizer.slots.forEach((slot, s) => {
          const i = names.indexOf(`${p.v.name}/${slot}`);
          if (i < 0) throw new Error(`Internal: no optimizer state "${p.v.name}/${slot}"`);
          const values = ws[i].dataSync() as Float32Array;
          const h = this.mem.heap();
          const off = this.slots[s] + (p.off - this.params);
          for (let r = 0; r < p.rows; r++) h.set(values.subarray(r * p.cols, (r + 1) * p.cols), off + r * p.ld);
        });
      });
    } finally {
      for (const w of ws) w.dispose();
    }
  }

  /** The values of the buffer at `off` laid out as `p`, unpadded. */
  private read(off: number, p: { rows: number; cols: number; ld: number }): Float32Array {
    const h = this.mem.heap();
    // unpadded rows are one block: one copy (most of a large kernel's flush)
    if (p.ld === p.cols) return h.slice(off, off + p.rows * p.cols);
    const out = new Float32Array(p.rows * p.cols);
    for (let r = 0; r < p.rows; r++) out.set(h.subarray(off + r * p.ld, off + r * p.ld + p.cols), r * p.cols);
    return out;
  }

  /** Bring the model's variables up to date (after steps since the last call). */
  flushWeights(): void {
    if (!this.dirty) return;
    for (const p of this.places) {
      if (!p.trainable || isDisposed(p.v)) continue;
      tidy(() => p.v.assign(tensor(this.read(p.off, p), p.v.shape)));
      this.known.set(p.v, (p.v as unknown as { dataId: unknown }).dataId);
    }
    this.dirty = false;
  }

  /** Bring the optimizer's state (iterations, slots) up to date. */
  flushState(): void {
    const opt = this.spec.optimizer.optimizer as unknown as OptimizerIo & { iterations: number };
    if (opt.iterations === this.iter) return;
    const names = opt.getWeightNames();
    const ws = opt.getWeights();
    const fresh: Tensor[] = [scalar(this.iter, 'int32')];
    const replaced = new Map<number, Tensor>([[0, fresh[0]]]);
    this.trained.forEach((p) => {
      this.spec.optimizer.slots.forEach((slot, s) => {
        const i = names.indexOf(`${p.v.name}/${slot}`);
        const t = tensor(this.read(this.slots[s] + (p.off - this.params), p), p.v.shape);
        fresh.push(t);
        replaced.set(i, t);
      });
    });
    try {
      opt.setWeights(ws.map((w, i) => replaced.get(i) ?? w));
    } finally {
      for (const w of ws) w.dispose();
      for (const t of fresh) t.dispose();
    }
  }

  /**
   * One training step on `batch` (rows of arrays or a dataset's batch, see batch-source.ts):
   * returns the batch's contribution to the epoch's sums (loss, compiled metrics) and its size.
   */
  step(batch: PlanBatch): StepSums {
    const n = batch.size;
    if (n > this.capacity) throw new Error(`Internal: a batch of ${n} rows in a plan for ${this.capacity}`);
    const prof = stepProfile.on;
    if (prof) mark(0);
    this.loadWeights(true);
    const last = this.spec.layers[this.spec.layers.length - 1];
    batch.copyInto(() => this.mem.heap(), { x: this.X, xWidth: this.spec.inputSize, y: this.Y, yWidth: this.spec.loss.sparse ? 1 : last.units, sw: this.SW });
    if (prof) mark(1);
    const { layers, loss } = this.spec;
    const L = layers.length;
    const mem = this.mem;
    const front = this.front;
    // the convolutional front: the images at X to the Flatten's rows at front.out
    if (front) front.forward(mem, n, this.X);
    const x0 = front ? front.out : this.X;
    const ld0 = front ? front.width : this.spec.inputSize;
    // forward: A_l = act(A_{l-1}·W_l + b_l), and with a Dropout after it AD_l = A_l ⊙ mask
    for (let l = 0; l < L; l++) {
      const o = this.layout[l];
      const inOff = l === 0 ? x0 : this.layout[l - 1].out;
      const ldIn = l === 0 ? ld0 : this.layout[l - 1].Up;
      const act = layers[l].activation;
      mem.product(false, inOff, ldIn, o.W, o.Up, o.A, o.Up, n, o.Up, layers[l].inDim, o.b, act === 'relu');
      if (act !== 'relu' && act !== 'linear') this.k.activateRows(mem.heap(), o.A, n, layers[l].units, o.Up, act);
      if (o.M >= 0) this.drawMask(l, n);
    }
    if (prof) mark(2);
    // loss and its gradient with respect to the last pre-activation
    const h = mem.heap();
    const top = this.layout[L - 1];
    const units = layers[L - 1].units;
    const t = { y: this.Y, ldy: loss.sparse ? 1 : units, sparse: loss.sparse, weights: batch.weighted ? this.SW : -1, scale: loss.reduction === 'mean' ? 1 / n : 1 };
    let s: number;
    if (loss.kind === 'softmax_ce') {
      s = this.k.softmaxCrossEntropyRows(h, top.A, top.D, top.Up, n, units, t);
    } else if (loss.kind === 'sigmoid_ce') {
      s = this.k.sigmoidCrossEntropyRows(h, top.A, top.D, top.Up, n, units, t, loss.probabilities);
    } else {
      s = this.k.meanSquaredErrorRows(h, top.A, top.D, top.Up, n, units, t);
      this.k.activationGradRows(h, top.D, top.Up, top.A, top.Up, n, units, layers[L - 1].activation);
    }
    // the metrics, from the output rows (the probabilities after a softmax/sigmoid loss)
    const metricSums = this.spec.metrics.map((m) => this.k.metricRows(h, top.A, top.Up, n, units, { kind: m.kind, y: this.Y, ldy: t.ldy, threshold: m.threshold }));
    // backward: dW = A_inᵀ·D, db = Σ D, D_{l-1} = (D·W_lᵀ) ⊙ mask ⊙ act'(A_{l-1}); frozen layers
    // get no gradient of their own, and nothing is propagated below the lowest trainable layer
    // (the front's, when it has one)
    if (prof) mark(3);
    const lowest = front?.needsGradient ? 0 : layers.findIndex((x) => x.trainable);
    for (let l = L - 1; l >= lowest; l--) {
      const o = this.layout[l];
      const inOff = l === 0 ? x0 : this.layout[l - 1].out;
      const ldIn = l === 0 ? ld0 : this.layout[l - 1].Up;
      const inDim = layers[l].inDim;
      if (layers[l].trainable) {
        mem.product(true, inOff, ldIn, o.D, o.Up, o.dW, o.Up, inDim, o.Up, n);
        const g = mem.heap();
        g.fill(0, o.dW + inDim * o.Up, o.dW + o.Ip4 * o.Up); // rows the 4-row tiles computed past the kernel
        if (o.db >= 0) this.k.columnSums(g, o.D, o.Up, n, layers[l].units, o.db);
      }
      if (l > lowest) {
        const p = this.layout[l - 1];
        mem.transpose(o.W, inDim, o.Up, o.Up, o.WT, p.Up);
        mem.product(false, o.D, o.Up, o.WT, p.Up, p.D, p.Up, n, p.Up, o.Up);
        if (p.M >= 0) this.k.multiplyRows(mem.heap(), p.D, p.Up, p.M, p.Up, n, layers[l - 1].units);
        this.k.activationGradRows(mem.heap(), p.D, p.Up, p.A, p.Up, n, layers[l - 1].units, layers[l - 1].activation);
      }
      if (l === 0 && front?.needsGradient) {
        // the gradient with respect to the Flatten's rows, then the front's backward pass
        mem.transpose(o.W, inDim, o.Up, o.Up, o.WT, front.gradLd);
        mem.product(false, o.D, o.Up, o.WT, front.gradLd, front.grad, front.gradLd, n, front.gradLd, o.Up);
        front.backward(mem, n);
      }
    }
    // the weight penalties (Keras adds them to the loss): their value, and their gradient added
    // to the trainable variables' (from the weights before the update, as the tape)
    if (prof) mark(4);
    const penalty = this.penalties();
    this.update();
    this.dirty = true;
    if (prof) {
      mark(5);
      stepProfile.steps++;
    }
    const batchLoss = loss.reduction === 'mean' ? s : s * n;
    return { lossSum: batchLoss + penalty * n, size: n, metricSums };
  }

  /** Σ of the layers' L1/L2 penalties, adding their gradients to those of trainable variables. */
  private penalties(): number {
    let total = this.front ? this.front.penalties(this.mem) : 0;
    this.spec.layers.forEach((l, i) => {
      const o = this.layout[i];
      const h = this.mem.heap();
      if (l.kernelPenalty) {
        total += this.k.weightPenalty(h, { w: o.W, g: l.trainable ? o.dW : -1, rows: l.inDim, cols: l.units, ld: o.Up, ...l.kernelPenalty });
      }
      if (l.biasPenalty && o.b >= 0) {
        total += this.k.weightPenalty(h, { w: o.b, g: l.trainable ? o.db : -1, rows: 1, cols: l.units, ld: o.Up, ...l.biasPenalty });
      }
    });
    return total;
  }

  /**
   * Layer `l`'s Dropout mask for `n` rows into the plan's memory and its output `AD = A ⊙ mask`:
   * the Dropout layer's next mask (its own stream, the same draw as the tape path's forward pass),
   * so the values are exactly the tape's `keep / (1 − rate)`.
   */
  private drawMask(l: number, n: number): void {
    const d = this.spec.layers[l].dropout;
    const o = this.layout[l];
    if (!d) return;
    drawDropoutMask(this.k, this.mem, d.layer, d.rate, { dst: o.M, rows: n, cols: this.spec.layers[l].units, ld: o.Up, io: { src: o.A, out: o.AD } });
  }

  /** The fused optimizer pass over the flat parameter buffer. */
  private update(): void {
    const opt = this.spec.optimizer.optimizer;
    const schedule = opt.learningRateSchedule;
    const lr = schedule ? schedule(this.iter) : opt.learningRate;
    this.iter += 1;
    this.k.fusedOptimizerStep(this.mem.heap(), {
      kind: this.spec.optimizer.kind,
      params: this.params,
      grads: this.grads,
      slots: this.slots,
      segments: this.segments,
      learningRate: lr,
      step: this.iter,
      momentum: opt.momentum,
      nesterov: opt.nesterov,
      rho: opt.rho,
      centered: opt.centered,
      amsgrad: opt.amsgrad,
      beta1: opt.beta1,
      beta2: opt.beta2,
      epsilon: opt.epsilon,
      weightDecay: opt.weightDecay,
      clipNorm: opt.clipNorm,
      clipValue: opt.clipValue,
      globalClipNorm: opt.globalClipNorm,
    });
  }

  /** The compiled metrics, in the order of `StepSums.metricSums`. */
  get metrics(): PlanSpec['metrics'] {
    return this.spec.metrics;
  }

  /** Bring everything up to date and give the memory back. */
  dispose(): void {
    try {
      this.flushWeights();
      this.flushState();
    } finally {
      this.mem.release();
    }
  }
}
