// The fused optimizer's commonest updates as SIMD loops of the GEMM engine's module (its worker
// threads run them too, through `onePass`): Adam (or AdamW's decayed weights) without clipping,
// and plain SGD. Each works on groups [lo, hi) of four floats and reads its operands from a
// block of i32 parameters at `p`: byte addresses, then float32 constants as their bits. The
// JavaScript loops they replace (fused-optimizer.ts, which keeps them for every other case and for
// a segment's last length mod 4 floats) cost about 7 ns per parameter for Adam.
import { Fn, I32, V128, uleb } from './wasm-asm';

/** adam's parameters: params, grads, m, v (byte addresses), then alpha, 1 − β1, 1 − β2, ε and the decay factor (float32 bits). */
export const ADAM_PARAMS = ['p', 'g', 'm', 'v', 'alpha', 'c1', 'c2', 'eps', 'decay'] as const;
/** sgd's parameters: params, grads (byte addresses), then lr·scale and the decay factor (float32 bits). */
export const SGD_PARAMS = ['p', 'g', 'step', 'decay'] as const;

const simd = (f: Fn, op: number) => f.emit(0xfd, ...uleb(op));
const sub = (f: Fn) => simd(f, 0xe5);
const div = (f: Fn) => simd(f, 0xe7);
const sqrt = (f: Fn) => simd(f, 0xe3);
const abs = (f: Fn) => simd(f, 0xe0);
const lt = (f: Fn) => simd(f, 0x43);
const andnot = (f: Fn) => simd(f, 0x4f);
const splatI32 = (f: Fn) => simd(f, 0x11);

/**
 * Below these magnitudes Adam's inputs are taken as 0 (2^-58 for a gradient, 2^-100 for m and v):
 * then g²·(1 − β2), m·(1 − β1), v·(1 − β2) and m·alpha stay normal. A subnormal result costs this
 * machine's cores a microcode assist (the pass measured 2.5 ms instead of 0.13 for 205 k
 * parameters with gradients of 1e-21, which a confident softmax gives, and mlp_adam b32's took
 * 1.7–1.9 ms a step in `fit` from its second epoch on, its moments decayed by gradients of 0:
 * docs/perf.md, "Sixth increment"); subnormal inputs cost nothing. What is dropped changes an
 * update by less than 2^-58·alpha/ε and √v + ε by less than 2^-50 (9e-16; ε is 1e-7 in Keras).
 */
const FLUSH_G_BITS = (127 - 58) << 23;
const FLUSH_MV_BITS = (127 - 100) << 23;

/**
 * Adam on groups [lo, hi): `m ← m + (g − m)·c1`, `v ← v + (g² − v)·c2`,
 * `w ← w·decay − m·alpha / (√v + ε)` (alpha carries the bias corrections), in float32.
 */
export function adamFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const [P, G, M, V] = [0, 1, 2, 3].map(() => f.local(I32));
  [P, G, M, V].forEach((l, i) => f.get(0).i32Load(4 * i).set(l));
  const [alpha, c1, c2, eps, decay] = [4, 5, 6, 7, 8].map((i) => {
    const l = f.local(V128);
    f.get(0).v128Load32Splat(4 * i).set(l);
    return l;
  });
  const i = f.local(I32), o = f.local(I32);
  const g = f.local(V128), m = f.local(V128), v = f.local(V128);
  const tg = f.local(V128), tmv = f.local(V128);
  f.i32(FLUSH_G_BITS);
  splatI32(f);
  f.set(tg);
  f.i32(FLUSH_MV_BITS);
  splatI32(f);
  f.set(tmv);
  // x ← 0 where |x| < t (x < t for v, never negative), else x: x & ~(|x| < t), so a NaN (no
  // comparison holds) stays NaN, as on the tape (x on the stack, left on the stack)
  const flush = (x: number, t: number, signed = true) => {
    f.tee(x).get(x);
    if (signed) abs(f);
    f.get(t);
    lt(f);
    andnot(f);
  };
  f.get(LO).set(i);
  f.block().loop();
  f.get(i).get(HI).geU().brIf(1);
  f.get(i).i32(4).shl().set(o);
  f.get(G).get(o).add().v128Load(0);
  flush(g, tg);
  f.set(g);
  // m decays into the subnormals after ≈ 800 steps of zero gradient (a dead unit, a pixel that is
  // 0 in most batches): mlp_adam b32's pass took 1.7–1.9 ms from its second epoch on without this
  f.get(M).get(o).add().v128Load(0);
  flush(m, tmv);
  f.set(m);
  f.get(V).get(o).add().v128Load(0);
  flush(v, tmv, false);
  f.set(v);
  // m = m0 + (g − m0)·c1
  f.get(m).get(g).get(m);
  sub(f);
  f.get(c1).f32x4Mul().f32x4Add().set(m);
  // v = v0 + (g·g − v0)·c2
  f.get(v).get(g).get(g).f32x4Mul().get(v);
  sub(f);
  f.get(c2).f32x4Mul().f32x4Add().set(v);
  f.get(M).get(o).add().get(m).v128Store(0);
  f.get(V).get(o).add().get(v).v128Store(0);
  // w = w·decay − m·alpha / (√v + ε)
  f.get(P).get(o).add();
  f.get(P).get(o).add().v128Load(0).get(decay).f32x4Mul();
  f.get(m).get(alpha).f32x4Mul().get(v);
  sqrt(f);
  f.get(eps).f32x4Add();
  div(f);
  sub(f);
  f.v128Store(0);
  f.get(i).i32(1).add().set(i);
  f.br(0).end().end();
  return f;
}

/** Plain SGD on groups [lo, hi): `w ← w·decay − g·step`, in float32. */
export function sgdFunction(): Fn {
  const f = new Fn([I32, I32, I32]);
  const [LO, HI] = [1, 2];
  const P = f.local(I32), G = f.local(I32), step = f.local(V128), decay = f.local(V128);
  f.get(0).i32Load(0).set(P);
  f.get(0).i32Load(4).set(G);
  f.get(0).v128Load32Splat(8).set(step);
  f.get(0).v128Load32Splat(12).set(decay);
  const i = f.local(I32), o = f.local(I32);
  f.get(LO).set(i);
  f.block().loop();
  f.get(i).get(HI).geU().brIf(1);
  f.get(i).i32(4).shl().set(o);
  f.get(P).get(o).add();
  f.get(P).get(o).add().v128Load(0).get(decay).f32x4Mul();
  f.get(G).get(o).add().v128Load(0).get(step).f32x4Mul();
  sub(f);
  f.v128Store(0);
  f.get(i).i32(1).add().set(i);
  f.br(0).end().end();
  return f;
}
