// One-pass SIMD loops for the GEMM engine's module (so its worker threads run them too): max
// pooling and its gradient, the relu derivative and a bias gradient's column sums. Each works on a
// range [lo, hi) of its items and reads its operands from a block of i32 parameters (byte
// addresses, sizes) at `p`. On this machine the JavaScript loops they replace ran at 3–10 ns per
// float (a data-dependent branch per element); copying the operands into the engine's memory
// costs about 0.1 ns per float.
import { Fn, I32, V128, uleb } from './wasm-asm';

/** Max pooling's i32 parameters at `p`, in this order (x, y, g, dx byte addresses; C a multiple of 4). */
export const POOL_PARAMS = ['x', 'y', 'g', 'dx', 'H', 'W', 'C', 'OH', 'OW', 'kh', 'kw', 'sh', 'sw', 'ph', 'pw'] as const;
/** relu_grad's parameters: out = g where y > 0, else 0. */
export const RELU_GRAD_PARAMS = ['g', 'y', 'out'] as const;
/** col_sums' parameters: per block of `R` rows of src [rows, cols] (cols a multiple of 4), its column sums at dst + block·cols. */
export const COL_SUMS_PARAMS = ['src', 'dst', 'rows', 'cols', 'R'] as const;
/**
 * gather_rows' parameters: for batch rows r in [lo, hi), row `idx[r]` of each of three row arrays
 * (src at `x`/`y`/`w`, `xb`/`yb`/`wb` bytes a row; 0 bytes: none) to row r at `xd`/`yd`/`wd`.
 */
export const GATHER_PARAMS = ['idx', 'x', 'xd', 'xb', 'y', 'yd', 'yb', 'w', 'wd', 'wb'] as const;

const simd = (f: Fn, op: number, ...rest: number[]) => f.emit(0xfd, ...uleb(op), ...rest);
const f32x4Eq = (f: Fn) => simd(f, 0x41);
const f32x4Gt = (f: Fn) => simd(f, 0x44);
const v128And = (f: Fn) => simd(f, 0x4e);
const v128AndNot = (f: Fn) => simd(f, 0x4f);
const v128Or = (f: Fn) => simd(f, 0x50);
/** pmax(a, b) = a < b ? b : a: the JavaScript loop's `if (v > m) m = v`, NaN cases included. */
const f32x4PMax = (f: Fn) => simd(f, 0xeb);
const select = (f: Fn) => f.emit(0x1b);
const gtS = (f: Fn) => f.emit(0x4a);
const ltU = (f: Fn) => f.emit(0x49);

/** Locals holding the parameters, loaded from the block at param 0. */
function loadParams<N extends string>(f: Fn, names: readonly N[]): Record<N, number> {
  const v = Object.fromEntries(names.map((n) => [n, f.local(I32)])) as Record<N, number>;
  names.forEach((n, i) => f.get(0).i32Load(4 * i).set(v[n]));
  return v;
}

/**
 * Max pooling over output cells [lo, hi) (cell m = (n·OH + oh)·OW + ow, channels innermost).
 * Forward: y = the window's maximum (first cell, then pmax with every cell). Gradient
 * (`grad`): first zero dx for the images of [lo, hi) (lo and hi on image boundaries), then give
 * each channel's g to the first window cell equal to y, as tfjs.
 */
export function maxPoolFunction(grad: boolean): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const v = loadParams(f, POOL_PARAMS);
  const m = f.local(I32), t = f.local(I32), n = f.local(I32), oh = f.local(I32), ow = f.local(I32);
  const h0 = f.local(I32), h1 = f.local(I32), w0 = f.local(I32), w1 = f.local(I32), ih = f.local(I32), iw = f.local(I32);
  const C4 = f.local(I32), row = f.local(I32), xp = f.local(I32), yp = f.local(I32), j = f.local(I32), first = f.local(I32);
  const acc = f.local(V128), gv = f.local(V128), taken = f.local(V128), eq = f.local(V128);
  f.get(v.C).i32(2).shl().set(C4);
  if (grad) {
    // dx of images [lo / (OH·OW), hi / (OH·OW)) = 0: windows never reach into another image
    f.get(v.OH).get(v.OW).mul().set(t);
    f.get(v.dx).get(LO).get(t).divU().get(v.H).mul().get(v.W).mul().get(C4).mul().add();
    f.i32(0);
    f.get(HI).get(LO).sub().get(t).divU().get(v.H).mul().get(v.W).mul().get(C4).mul();
    f.memoryFill();
  }
  // clamp(a, lo, hi) helpers as selects
  const maxInto = (a: number, b: number, dst: number) => { f.get(a).get(b).get(a).get(b); gtS(f); select(f); f.set(dst); };
  const minInto = (a: number, b: number, dst: number) => { f.get(a).get(b).get(a).get(b); f.ltS(); select(f); f.set(dst); };
  const zero = f.local(I32);
  f.i32(0).set(zero);
  f.get(LO).set(m);
  f.block().loop(); // output cells
  f.get(m).get(HI).geU().brIf(1);
  f.get(m).get(v.OW).remU().set(ow);
  f.get(m).get(v.OW).divU().tee(t).get(v.OH).remU().set(oh);
  f.get(t).get(v.OH).divU().set(n);
  f.get(oh).get(v.sh).mul().get(v.ph).sub().set(t);
  maxInto(t, zero, h0);
  f.get(t).get(v.kh).add().set(t);
  minInto(t, v.H, h1);
  f.get(ow).get(v.sw).mul().get(v.pw).sub().set(t);
  maxInto(t, zero, w0);
  f.get(t).get(v.kw).add().set(t);
  minInto(t, v.W, w1);
  f.get(m).get(C4).mul().set(t); // byte offset of the cell's channels in y (and g)
  f.i32(0).set(j);
  f.block().loop(); // channels, four at a time
  f.get(j).get(C4).geU().brIf(1);
  f.get(v.y).get(t).add().get(j).add().set(yp);
  if (grad) {
    f.get(yp).v128Load(0).set(acc);
    f.get(v.g).get(t).add().get(j).add().v128Load(0).set(gv);
    f.v128Zero().set(taken);
  }
  f.i32(1).set(first);
  f.get(h0).set(ih);
  f.block().loop(); // window rows
  f.get(ih).get(h1).geU().brIf(1); // (h0, h1 ≥ 0 here: unsigned compare is safe)
  f.get(n).get(v.H).mul().get(ih).add().get(v.W).mul().set(row);
  f.get(w0).set(iw);
  f.block().loop(); // window columns
  f.get(iw).get(w1).geU().brIf(1);
  f.get(row).get(iw).add().get(C4).mul().get(j).add().set(xp); // byte offset of x(n, ih, iw, j)
  if (!grad) {
    f.get(first).ifElse();
    f.get(v.x).get(xp).add().v128Load(0).set(acc);
    f.i32(0).set(first);
    f.orElse();
    f.get(acc).get(v.x).get(xp).add().v128Load(0);
    f32x4PMax(f);
    f.set(acc);
    f.end();
  } else {
    // eq = (x == y) and not yet taken; dx += g & eq; taken |= eq
    f.get(v.x).get(xp).add().v128Load(0).get(acc);
    f32x4Eq(f);
    f.get(taken);
    v128AndNot(f);
    f.set(eq);
    f.get(v.dx).get(xp).add().set(xp); // now dx's address
    f.get(xp);
    f.get(xp).v128Load(0).get(gv).get(eq);
    v128And(f);
    f.f32x4Add().v128Store(0);
    f.get(taken).get(eq);
    v128Or(f);
    f.set(taken);
  }
  f.get(iw).i32(1).add().set(iw);
  f.br(0).end().end(); // columns
  f.get(ih).i32(1).add().set(ih);
  f.br(0).end().end(); // rows
  if (!grad) f.get(yp).get(acc).v128Store(0);
  f.get(j).i32(16).add().set(j);
  f.br(0).end().end(); // channels
  f.get(m).i32(1).add().set(m);
  f.br(0).end().end(); // cells
  return f;
}

/** out = g where y > 0, else 0, for float vectors [lo, hi) (four floats each). */
export function reluGradFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const v = loadParams(f, RELU_GRAD_PARAMS);
  const i = f.local(I32), o = f.local(I32);
  f.get(LO).set(i);
  f.block().loop();
  f.get(i).get(HI).geU().brIf(1);
  f.get(i).i32(4).shl().set(o);
  f.get(v.out).get(o).add();
  f.get(v.g).get(o).add().v128Load(0);
  f.get(v.y).get(o).add().v128Load(0).v128Zero();
  f32x4Gt(f);
  v128And(f);
  f.v128Store(0);
  f.get(i).i32(1).add().set(i);
  f.br(0).end().end();
  return f;
}

/** Column sums of each block of R rows, blocks [lo, hi): dst + block·cols, four columns at a time. */
export function colSumsFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const v = loadParams(f, COL_SUMS_PARAMS);
  const b = f.local(I32), r = f.local(I32), r1 = f.local(I32), j = f.local(I32), cols4 = f.local(I32), p = f.local(I32);
  const acc = f.local(V128);
  f.get(v.cols).i32(2).shl().set(cols4);
  f.get(LO).set(b);
  f.block().loop(); // blocks
  f.get(b).get(HI).geU().brIf(1);
  // r1 = min(rows, (b + 1)·R)
  f.get(b).i32(1).add().get(v.R).mul().tee(r1).get(v.rows).get(r1).get(v.rows);
  ltU(f);
  select(f);
  f.set(r1);
  f.i32(0).set(j);
  f.block().loop(); // column vectors
  f.get(j).get(cols4).geU().brIf(1);
  f.v128Zero().set(acc);
  f.get(b).get(v.R).mul().set(r);
  f.get(v.src).get(r).get(cols4).mul().add().get(j).add().set(p);
  f.block().loop(); // rows of the block
  f.get(r).get(r1).geU().brIf(1);
  f.get(acc).get(p).v128Load(0).f32x4Add().set(acc);
  f.get(p).get(cols4).add().set(p);
  f.get(r).i32(1).add().set(r);
  f.br(0).end().end();
  f.get(v.dst).get(b).get(cols4).mul().add().get(j).add().get(acc).v128Store(0);
  f.get(j).i32(16).add().set(j);
  f.br(0).end().end();
  f.get(b).i32(1).add().set(b);
  f.br(0).end().end();
  return f;
}

/**
 * A batch's rows from row arrays in the engine's memory (training arrays kept there for a fit):
 * for r in [lo, hi), i = idx[r] (i32), one memory.copy per array of row i to row r. The indices
 * are the caller's to check (they are read as they are).
 */
export function gatherRowsFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const v = loadParams(f, GATHER_PARAMS);
  const r = f.local(I32), i = f.local(I32);
  const copy = (src: number, dst: number, bytes: number) => {
    f.get(dst).get(r).get(bytes).mul().add();
    f.get(src).get(i).get(bytes).mul().add();
    f.get(bytes).memoryCopy();
  };
  f.get(LO).set(r);
  f.block().loop();
  f.get(r).get(HI).geU().brIf(1);
  f.get(v.idx).get(r).i32(2).shl().add().i32Load(0).set(i);
  copy(v.x, v.xd, v.xb);
  copy(v.y, v.yd, v.yb);
  copy(v.w, v.wd, v.wb);
  f.get(r).i32(1).add().set(r);
  f.br(0).end().end();
  return f;
}
