// The convolutional front of a compiled training step: the Conv2D and pooling steps between the
// input images and the Flatten (and a Dropout after it), as a list of steps over buffers in the
// plan's memory. Forward, each conv step builds its patch rows (im2col) and multiplies them by its
// kernel with bias and relu fused; each pooling step runs the SIMD one-pass loop. Backward, the
// gradient with respect to a step's output arrives in its `G` buffer; a conv step takes its
// activation's derivative there, its filter gradient from the saved patch rows (threads split the
// long sum over output cells), its bias gradient as column sums, and folds `G·Wᵀ` back into the
// step below (col2im). Nothing is propagated below the lowest trainable conv step (the data's
// gradient is never needed). Channels are padded to multiples of 8 in memory (`Cs`); padding
// channels hold zero weights and zero gradients.
import type { PlanConvGeometry, PlanMemory, PoolWindow } from '@neurona/kernels';
import type { PlanConv, PlanFeature, PlanSpec } from './analyze';
import type { PlanKernels } from './dense-plan';
import { drawDropoutMask } from './dropout-draw';

const up4 = (n: number) => Math.ceil(n / 4) * 4;
const up8 = (n: number) => Math.ceil(Math.max(n, 1) / 8) * 8;

/** A conv step's parameters in the plan's flat parameter buffer (float offsets from its start). */
interface ConvParams {
  /** Kernel `[Kp4, Np]` (rows `KH·KW·cin`, extra rows and columns zero) and bias `[Np]` (-1: none). */
  W: number;
  b: number;
}

/** Where one step's buffers are (float offsets in the plan's memory; -1: none). */
interface StepLayout {
  /** Channels of the step's output in memory (a conv's filters rounded up to 8; a pooling step's input's) and the real ones. */
  Cs: number;
  C: number;
  /** Output `[images, OH, OW, Cs]` and the gradient with respect to it (-1 when no gradient reaches the step). */
  A: number;
  G: number;
  /** Conv steps: kernel, bias and their gradients, the patch rows `[cells, Kp]` and the kernel transposed `[Np, Kp]`. */
  W: number;
  b: number;
  dW: number;
  db: number;
  P: number;
  WT: number;
  /** Patch columns (`KH·KW·cin`), rounded up to 8 (the row stride of P), up to 4 (the kernel's rows). */
  K: number;
  Kp: number;
  Kp4: number;
}

/** One variable of the front as the plan places it. */
export interface FrontPlace {
  step: PlanConv;
  off: number;
  rows: number;
  cols: number;
  ld: number;
  length: number;
  isKernel: boolean;
}

/** The floats of the front's parameters and where each conv step's are (offsets from the parameter buffer's start). */
export function frontParams(features: PlanFeature[]): { params: (ConvParams | null)[]; floats: number } {
  let p = 0;
  const params = features.map((f) => {
    if (f.kind !== 'conv') return null;
    const Np = up8(f.O), Kp4 = up4(f.KH * f.KW * f.cin);
    const o = { W: p, b: f.bias ? p + Kp4 * Np : -1 };
    p += Kp4 * Np + (f.bias ? Np : 0);
    return o;
  });
  return { params, floats: p };
}

/** The convolutional front of a plan for batches of up to `capacity` images. */
export class ConvFront {
  private readonly steps: StepLayout[];
  /** Index of the lowest trainable conv step (`features.length` when none): gradients reach steps from here up. */
  private readonly lowest: number;
  /** Features per sample after the Flatten. */
  readonly width: number;
  /** What the dense chain reads: `[rows, width]` (the last output, its compact copy, or the dropped copy). */
  out: number;
  /** Where the dense chain writes the gradient with respect to `out`: `[rows, gradLd]` (-1: no gradient needed). */
  grad: number;
  readonly gradLd: number;
  // the last step's output compacted (its channels padded in memory), the Dropout's mask and output
  private compact: number;
  private mask: number;
  private dropped: number;

  constructor(
    private readonly k: PlanKernels,
    private readonly spec: PlanSpec,
    capacity: number,
    params: (ConvParams | null)[],
    bases: { params: number; grads: number },
    take: (floats: number) => number,
  ) {
    const { features } = spec;
    const images = up4(capacity) + 4; // products compute rows four at a time
    const rows = up4(capacity) + 4;
    const first = features.findIndex((f) => f.kind === 'conv' && f.trainable);
    this.lowest = first < 0 ? features.length : first;
    // channels in memory and real channels of the buffer each step reads (the images for the first)
    let inCs = features[0].kind === 'conv' ? features[0].cin : features[0].C;
    let inC = inCs;
    this.steps = features.map((f, i) => {
      const cells = f.OH * f.OW;
      const Cs = f.kind === 'conv' ? up8(f.O) : inCs;
      const C = f.kind === 'conv' ? f.O : inC;
      inCs = Cs;
      inC = C;
      const s: StepLayout = {
        Cs, C, A: take(images * cells * Cs), G: i >= this.lowest ? take(images * cells * Cs) : -1,
        W: -1, b: -1, dW: -1, db: -1, P: -1, WT: -1, K: 0, Kp: 0, Kp4: 0,
      };
      if (f.kind === 'pool') return s;
      const q = params[i] as ConvParams;
      s.K = f.KH * f.KW * f.cin;
      s.Kp = up8(s.K);
      s.Kp4 = up4(s.K);
      s.W = bases.params + q.W;
      s.b = q.b < 0 ? -1 : bases.params + q.b;
      s.dW = bases.grads + q.W;
      s.db = q.b < 0 ? -1 : bases.grads + q.b;
      s.P = take(images * cells * s.Kp);
      s.WT = i > this.lowest ? take(Cs * s.Kp) : -1;
      return s;
    });
    const last = features[features.length - 1];
    const top = this.steps[this.steps.length - 1];
    this.width = last.OH * last.OW * top.C;
    const padded = top.Cs !== top.C;
    this.compact = padded ? take(rows * this.width) : -1;
    const drop = spec.featureDropout !== null;
    this.mask = drop ? take(rows * this.width) : -1;
    this.dropped = drop ? take(rows * this.width) : -1;
    this.out = drop ? this.dropped : padded ? this.compact : top.A;
    const needsGrad = this.lowest < features.length;
    this.gradLd = up8(this.width);
    this.grad = !needsGrad ? -1 : padded || this.gradLd !== this.width ? take(rows * this.gradLd) : top.G;
  }

  /** Move every buffer offset by `d` (the plan's memory start). */
  shift(d: number): void {
    const sh = (o: number) => (o < 0 ? o : o + d);
    for (const s of this.steps) for (const key of ['A', 'G', 'W', 'b', 'dW', 'db', 'P', 'WT'] as const) s[key] = sh(s[key]);
    this.out = sh(this.out);
    this.grad = sh(this.grad);
    this.compact = sh(this.compact);
    this.mask = sh(this.mask);
    this.dropped = sh(this.dropped);
  }

  /** Whether the dense chain must hand back the gradient with respect to `out`. */
  get needsGradient(): boolean {
    return this.grad >= 0;
  }

  /** The conv steps' variables with their places in memory (kernel `[K, O]` rows of stride `Np`). */
  places(): FrontPlace[] {
    const out: FrontPlace[] = [];
    this.spec.features.forEach((f, i) => {
      if (f.kind !== 'conv') return;
      const s = this.steps[i];
      out.push({ step: f, off: s.W, rows: s.K, cols: f.O, ld: s.Cs, length: s.Kp4 * s.Cs, isKernel: true });
      if (f.bias) out.push({ step: f, off: s.b, rows: 1, cols: f.O, ld: s.Cs, length: s.Cs, isKernel: false });
    });
    return out;
  }

  private geometry(f: PlanConv, i: number): PlanConvGeometry {
    const C = i === 0 ? f.cin : this.steps[i - 1].Cs;
    return { H: f.H, W: f.W, C, cin: f.cin, KH: f.KH, KW: f.KW, sh: f.sh, sw: f.sw, ph: f.ph, pw: f.pw, OH: f.OH, OW: f.OW, O: f.O };
  }

  private window(i: number, n: number): PoolWindow {
    const f = this.spec.features[i];
    if (f.kind !== 'pool') throw new Error('Internal: not a pooling step');
    const C = i === 0 ? f.C : this.steps[i - 1].Cs;
    return { N: n, H: f.H, W: f.W, C, OH: f.OH, OW: f.OW, kh: f.kh, kw: f.kw, sh: f.sh, sw: f.sw, ph: f.ph, pw: f.pw };
  }

  /** The forward pass of `n` images at `x` (`[n, H, W, C]`): leaves the Flatten's rows (dropped) at `out`. */
  forward(mem: PlanMemory, n: number, x: number): void {
    const k = this.k;
    this.spec.features.forEach((f, i) => {
      const s = this.steps[i];
      const inOff = i === 0 ? x : this.steps[i - 1].A;
      if (f.kind === 'pool') {
        k.planPool(mem, this.window(i, n), inOff, s.A, f.max);
        return;
      }
      const M = n * f.OH * f.OW;
      k.planConvPatches(mem, this.geometry(f, i), n, inOff, s.P, s.Kp);
      mem.product(false, s.P, s.Kp, s.W, s.Cs, s.A, s.Cs, M, s.Cs, s.K, s.b, f.activation === 'relu');
      if (f.activation !== 'relu' && f.activation !== 'linear') k.activateRows(mem.heap(), s.A, M, f.O, s.Cs, f.activation);
    });
    const top = this.steps[this.steps.length - 1];
    const cells = n * this.width / top.C;
    if (this.compact >= 0) {
      const h = mem.heap();
      for (let c = 0; c < cells; c++) h.copyWithin(this.compact + c * top.C, top.A + c * top.Cs, top.A + c * top.Cs + top.C);
    }
    const d = this.spec.featureDropout;
    if (this.mask >= 0 && d) {
      // the mask and the dropped rows in one pass (the Dropout's next mask, the tape's draw)
      const src = this.compact >= 0 ? this.compact : top.A;
      drawDropoutMask(k, mem, d.layer, d.rate, { dst: this.mask, rows: n, cols: this.width, ld: this.width, io: { src, out: this.dropped } });
    }
  }

  /** The backward pass from the gradient with respect to `out` at `grad` (written by the dense chain). */
  backward(mem: PlanMemory, n: number): void {
    if (this.grad < 0) return;
    const k = this.k;
    const L = this.steps.length;
    const top = this.steps[L - 1];
    if (this.mask >= 0) k.multiplyRows(mem.heap(), this.grad, this.gradLd, this.mask, this.width, n, this.width);
    if (this.grad !== top.G) {
      // the Flatten's rows back into the last step's (padded) channels
      const h = mem.heap();
      const perRow = this.width / top.C;
      if (top.Cs !== top.C) h.fill(0, top.G, top.G + n * perRow * top.Cs);
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < perRow; c++) {
          const src = this.grad + r * this.gradLd + c * top.C;
          h.copyWithin(top.G + (r * perRow + c) * top.Cs, src, src + top.C);
        }
      }
    }
    // conv steps whose relu derivative and bias gradient a max pooling step above them took
    const taken = new Set<number>();
    for (let i = L - 1; i >= this.lowest; i--) {
      const f = this.spec.features[i];
      const s = this.steps[i];
      const below = i > this.lowest ? this.steps[i - 1] : null;
      if (f.kind === 'pool') {
        if (!below) continue;
        const conv = this.spec.features[i - 1];
        if (f.max && conv.kind === 'conv' && conv.activation === 'relu') {
          // relu after the conv, then max pooling: the pooling gradient goes to a cell equal to its
          // window's maximum y, so relu's derivative there is [y > 0]: apply it to the pooled
          // gradient (4× fewer floats for a 2×2 window), and the bias gradient Σ over the conv's
          // cells of that gradient is the column sums of the pooled one
          const cells = n * f.OH * f.OW;
          k.planReluGrad(mem, s.G, s.A, s.G, cells * s.Cs);
          if (conv.trainable && below.db >= 0) k.planColumnSums(mem, s.G, cells, s.Cs, below.db);
          taken.add(i - 1);
        }
        k.planPoolGrad(mem, this.window(i, n), { x: below.A, y: s.A, g: s.G, dx: below.G }, f.max);
        continue;
      }
      const M = n * f.OH * f.OW;
      // G ← G ⊙ act'(A): the gradient with respect to the pre-activation
      if (taken.has(i)) {
        // done on the pooled gradient above
      } else if (f.activation === 'relu') k.planReluGrad(mem, s.G, s.A, s.G, M * s.Cs);
      else k.activationGradRows(mem.heap(), s.G, s.Cs, s.A, s.Cs, M, f.O, f.activation);
      if (f.trainable) {
        k.planProductSplitK(mem, s.P, s.Kp, s.G, s.Cs, s.dW, s.Cs, s.K, s.Cs, M);
        mem.heap().fill(0, s.dW + s.K * s.Cs, s.dW + s.Kp4 * s.Cs); // rows the 4-row tiles computed past the kernel
        if (s.db >= 0 && !taken.has(i)) k.planColumnSums(mem, s.G, M, s.Cs, s.db);
      }
      if (below) {
        // the patch rows' gradient G·Wᵀ over the patch rows (no longer needed), folded into the step below
        mem.transpose(s.W, s.K, s.Cs, s.Cs, s.WT, s.Kp);
        mem.product(false, s.G, s.Cs, s.WT, s.Kp, s.P, s.Kp, M, s.Kp, s.Cs);
        k.planConvFold(mem, this.geometry(f, i), n, s.P, s.Kp, below.G);
      }
    }
  }

  /** Σ of the conv steps' L1/L2 penalties, adding their gradients to those of trainable kernels and biases. */
  penalties(mem: PlanMemory): number {
    let total = 0;
    this.spec.features.forEach((f, i) => {
      if (f.kind !== 'conv') return;
      const s = this.steps[i];
      const h = mem.heap();
      if (f.kernelPenalty) total += this.k.weightPenalty(h, { w: s.W, g: f.trainable ? s.dW : -1, rows: s.K, cols: f.O, ld: s.Cs, ...f.kernelPenalty });
      if (f.biasPenalty && s.b >= 0) total += this.k.weightPenalty(h, { w: s.b, g: f.trainable ? s.db : -1, rows: 1, cols: f.O, ld: s.Cs, ...f.biasPenalty });
    });
    return total;
  }
}
