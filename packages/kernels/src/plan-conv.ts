// The convolution and pooling loops of a compiled training step, in place on a plan's memory
// (PlanMemory offsets): the same im2col/col2im, SIMD pooling, relu-derivative and column-sum loops
// the copy-in kernels run (conv-kernels.ts, pool-kernels.ts, small-kernels.ts), without copying
// operands in and out. Channels-last, groups 1, dilation 1; a buffer's channel stride `C` may
// exceed the channels a convolution reads (`cin`: the plan pads channels to multiples of 8).
import { convShape, type ConvShape } from './conv-shape';
import { patchParams } from './conv-kernels';
import { planEngine, type PlanMemory } from './plan-memory';
import { avgPoolBackward, maxPoolAt, maxPoolBackward, maxPoolGradAt, poolForward, type PoolWindow } from './pool-kernels';
import { columnSumsAt, columnSumsSpace, reluGradAt } from './small-kernels';

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** One 2-D convolution of a plan: input `[n, H, W, C]` (the first `cin` channels read), filter `[KH, KW, cin, O]`. */
export interface PlanConvGeometry {
  H: number; W: number; C: number; cin: number;
  KH: number; KW: number; sh: number; sw: number;
  /** Padding before (TensorFlow's 'same' puts the odd cell after). */
  ph: number; pw: number;
  OH: number; OW: number; O: number;
}

/** Padding after the input along one axis, from the output length and the padding before. */
const after = (len: number, out: number, k: number, s: number, before: number) => Math.max((out - 1) * s + k - len - before, 0);

/** The engine's 5-D shape of `g` for a batch of `n` images. */
function shapeOf(g: PlanConvGeometry, n: number): ConvShape {
  const pads = [0, 0, g.ph, after(g.H, g.OH, g.KH, g.sh, g.ph), g.pw, after(g.W, g.OW, g.KW, g.sw, g.pw)];
  return convShape([n, 1, g.H, g.W, g.C], [1, g.KH, g.KW, g.cin, g.O], [1, g.sh, g.sw], [1, 1, 1], pads, 1);
}

/** im2col: the patch rows of `n` images of x (at `x`) into `[n·OH·OW, KH·KW·cin]` at `dst`, row stride `ld`. */
export function planConvPatches(mem: PlanMemory, g: PlanConvGeometry, n: number, x: number, dst: number, ld: number): void {
  const s = shapeOf(g, n);
  planEngine(mem).patches(patchParams(s, 0, x, dst, ld, 0), 0, s.M, false, s.OH * s.OW);
}

/** col2im: zero dx (`[n, H, W, C]` at `dx`), then add the patch rows at `src` (row stride `ld`) back into it. */
export function planConvFold(mem: PlanMemory, g: PlanConvGeometry, n: number, src: number, ld: number, dx: number): void {
  const s = shapeOf(g, n);
  mem.heap().fill(0, dx, dx + n * g.H * g.W * g.C);
  planEngine(mem).patches(patchParams(s, 0, dx, src, ld, 0), 0, s.M, true, s.OH * s.OW);
}

/**
 * `C = Aᵀ·B` with A stored `[K, M]` row stride `lda` (a patch matrix: K rows of the product, a long
 * sum over M output cells), the sum split over the threads (a filter gradient). N, ldb, ldc
 * multiples of 8; C needs room for M rounded up to 4 rows.
 */
export function planProductSplitK(mem: PlanMemory, a: number, lda: number, b: number, ldb: number, c: number, ldc: number, M: number, N: number, K: number): void {
  const engine = planEngine(mem);
  const spare = roundUp4(engine.scratchBase());
  engine.scratch(spare + engine.splitKSpare(M, ldc) + 4);
  engine.gemmSplitK({ a, lda, aTransposed: true, b, ldb, c, ldc, m: M, n: N, k: K }, spare);
}

/** Max (`max`) or average pooling of `w` from `x` into `y` (float offsets): the SIMD loop when C is a multiple of 4 and max. */
export function planPool(mem: PlanMemory, w: PoolWindow, x: number, y: number, max: boolean): void {
  if (max && w.C % 4 === 0) {
    maxPoolAt(planEngine(mem), w, x, y);
    return;
  }
  const h = mem.heap();
  poolForward(h.subarray(x, x + w.N * w.H * w.W * w.C), h.subarray(y, y + w.N * w.OH * w.OW * w.C), w, max);
}

/** The gradient of `planPool`: dx (written whole) from g at `at.g`, and for max pooling x and y. */
export function planPoolGrad(mem: PlanMemory, w: PoolWindow, at: { x: number; y: number; g: number; dx: number }, max: boolean): void {
  if (max && w.C % 4 === 0) {
    maxPoolGradAt(planEngine(mem), w, at);
    return;
  }
  const h = mem.heap();
  const inLen = w.N * w.H * w.W * w.C;
  const outLen = w.N * w.OH * w.OW * w.C;
  const dx = h.subarray(at.dx, at.dx + inLen);
  dx.fill(0);
  const g = h.subarray(at.g, at.g + outLen);
  if (max) maxPoolBackward(g, h.subarray(at.x, at.x + inLen), h.subarray(at.y, at.y + outLen), dx, w);
  else avgPoolBackward(g, dx, w);
}

/** `out = y > 0 ? g : 0` for `n` floats (offsets multiples of 4; `out` may be `g`). */
export function planReluGrad(mem: PlanMemory, g: number, y: number, out: number, n: number): void {
  reluGradAt(planEngine(mem), g, y, out, n);
}

/** `dst[j] = Σ_r src[r, j]` over `rows × cols` contiguous floats (cols a multiple of 4), summed as the tape's bias gradient. */
export function planColumnSums(mem: PlanMemory, src: number, rows: number, cols: number, dst: number): void {
  const engine = planEngine(mem);
  const at = roundUp4(engine.scratchBase());
  engine.scratch(at + columnSumsSpace(rows, cols));
  const acc = new Float64Array(cols);
  columnSumsAt(engine, src, rows, cols, at, acc);
  mem.heap().set(acc, dst);
}
