// The LSTM's gate passes in WebAssembly SIMD, emitted with wasm-asm.ts (no toolchain in the
// build). Scalar JavaScript pays a Math.exp call per sigmoid and tanh, five per unit per step
// forward and again backward; here four lanes share one range-reduced polynomial exp.
//
// exp(x): x is clamped to [-87.9, 88.37], n = nearest(x·log2 e), r = x − n·ln 2 (ln 2 split in two
// parts, so r keeps its low bits), e^r by Cephes' degree-5 polynomial, 2ⁿ written straight into
// the exponent bits. Results below the smallest normal float (x < −87.3) come out as 0.
// sigmoid(x) = 1 / (1 + e) for x ≥ 0 and e / (1 + e) for x < 0, with e = exp(−|x|) ≤ 1 (no
// overflow, no cancellation). tanh(x): Cephes' odd polynomial for |x| < 0.625 (where 1 − e
// would cancel), else ±(1 − 2 / (exp(2|x|) + 1)). Both within a few float32 ulps of the
// Math.exp-based values; NaN in gives NaN out, as in the JavaScript loops.
//
// The module imports the GEMM engine's memory (recurrent-kernels.ts lays the whole time loop out
// there), one module per pair of activations, so each pass is straight-line code.
import { I32, V128, assemble } from './wasm-asm';
import { SimdFn as Fn } from './simd-fn';
import type { RecurrentAttrs } from '@neurona/tensor/kernel-api';

/** An activation `recurrentSequence` fuses. */
export type GateActivation = RecurrentAttrs['activation'];

const LOG2E = Math.LOG2E;
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
const EXP_HI = 88.37;
/** 1.5·2²³: adding it rounds a float below 2²² to an integer. */
const ROUND = 12582912;
const EXP_LO = -87.9;
/** Cephes expf: e^r ≈ 1 + r + r²·P(r) on |r| ≤ ln2/2. */
const EXP_P = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
/** Cephes tanhf: tanh(x) ≈ x + x·z·Q(z), z = x², on |x| < 0.625. */
const TANH_Q = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1];
const TANH_SMALL = 0.625;

/** Scratch v128 locals the activations use, and their constants. */
interface Temps {
  t0: number;
  t1: number;
  t2: number;
  t3: number;
  /** The local holding four lanes of v (V8 builds a v128.const from several instructions; a local is one register or load). */
  k(v: number): number;
  /** Emit the constants' initialisation at the start of the function: call once, after the body. */
  hoist(): void;
}

function temps(f: Fn): Temps {
  const pool = new Map<number, { v: number; local: number }>();
  const bits = new Uint32Array(1);
  const view = new Float32Array(bits.buffer);
  return {
    t0: f.local(V128),
    t1: f.local(V128),
    t2: f.local(V128),
    t3: f.local(V128),
    k(v) {
      view[0] = v;
      let e = pool.get(bits[0]);
      if (!e) pool.set(bits[0], (e = { v, local: f.local(V128) }));
      return e.local;
    },
    hoist() {
      const init = new Fn([]);
      for (const { v, local } of pool.values()) init.f32x4Const(v).set(local);
      f.code.unshift(...init.code);
    },
  };
}

/** Pushes exp(local x). Uses t0, t1. */
function exp(f: Fn, x: number, t: Temps): void {
  // clamp with pmin/pmax (one instruction each on x64; a NaN in x is kept)
  f.get(x).get(t.k(EXP_HI)).f32x4Pmin().get(t.k(EXP_LO)).f32x4Pmax().set(t.t0);
  // x·log2 e + 1.5·2²³ rounds to the nearest integer n, held in the low mantissa bits
  f.get(t.t0).get(t.k(LOG2E)).f32x4Mul().get(t.k(ROUND)).f32x4Add().set(t.t1);
  // r = x − n·ln 2, n = t1 − 1.5·2²³ (exact)
  f.get(t.t0).get(t.t1).get(t.k(ROUND)).f32x4Sub().get(t.k(LN2_HI)).f32x4Mul().f32x4Sub();
  f.get(t.t1).get(t.k(ROUND)).f32x4Sub().get(t.k(LN2_LO)).f32x4Mul().f32x4Sub().set(t.t0);
  f.get(t.k(EXP_P[0]));
  for (const c of EXP_P.slice(1)) f.get(t.t0).f32x4Mul().get(t.k(c)).f32x4Add();
  f.get(t.t0).f32x4Mul().get(t.t0).f32x4Mul().get(t.t0).f32x4Add().get(t.k(1)).f32x4Add();
  // 2ⁿ: n << 23 (the rounding constant's bits shift out) plus the bits of 1.0; n = −127 gives 0
  f.get(t.t1).i32(23).i32x4Shl().get(t.k(1)).i32x4Add();
  f.f32x4Mul();
}

/** Pushes act(local x). Uses every temp. */
export function activate(f: Fn, kind: GateActivation, x: number, t: Temps): void {
  switch (kind) {
    case 'sigmoid':
      // e = exp(−|x|) in t2, s = 1/(1+e) in t3, then x < 0 ? e·s : s
      f.get(x).f32x4Abs().f32x4Neg().set(t.t2);
      exp(f, t.t2, t);
      f.set(t.t2);
      f.get(t.k(1)).get(t.k(1)).get(t.t2).f32x4Add().f32x4Div().set(t.t3);
      f.get(t.t2).get(t.t3).f32x4Mul().get(t.t3).get(x).get(t.k(0)).f32x4Lt().v128Bitselect();
      return;
    case 'tanh':
      // on |x|, then x's sign (tanh is odd; this keeps −0): large, 1 − 2/(exp(2|x|) + 1), in t3
      f.get(x).f32x4Abs().tee(t.t2).get(t.t2).f32x4Add().set(t.t2);
      exp(f, t.t2, t);
      f.set(t.t2);
      f.get(t.k(1)).get(t.k(2)).get(t.t2).get(t.k(1)).f32x4Add().f32x4Div().f32x4Sub().set(t.t3);
      // small: |x| + |x|·z·Q(z), z = x²
      f.get(x).get(x).f32x4Mul().set(t.t2);
      f.get(t.k(TANH_Q[0]));
      for (const c of TANH_Q.slice(1)) f.get(t.t2).f32x4Mul().get(t.k(c)).f32x4Add();
      f.get(t.t2).f32x4Mul().get(x).f32x4Abs().f32x4Mul().get(x).f32x4Abs().f32x4Add();
      f.get(t.t3).get(x).f32x4Abs().get(t.k(TANH_SMALL)).f32x4Lt().v128Bitselect();
      f.get(x).get(t.k(-0)).v128And().v128Or();
      return;
    case 'relu':
      f.get(t.k(0)).get(x).f32x4Pmax();
      return;
    case 'hard_sigmoid':
      f.get(x).get(t.k(3)).f32x4Add().get(t.k(6)).f32x4Div().get(t.k(1)).f32x4Pmin().get(t.k(0)).f32x4Pmax();
      return;
    default:
      f.get(x);
  }
}

/** Multiplies the value on the stack by f'(·) taken from y = f(·) in local y. Uses t0. */
function timesSlope(f: Fn, kind: GateActivation, y: number, t: Temps): void {
  switch (kind) {
    case 'sigmoid':
      f.get(y).get(t.k(1)).get(y).f32x4Sub().f32x4Mul().f32x4Mul();
      return;
    case 'tanh':
      f.get(t.k(1)).get(y).get(y).f32x4Mul().f32x4Sub().f32x4Mul();
      return;
    case 'relu':
      f.get(t.k(1)).get(y).get(t.k(0)).f32x4Gt().v128And().f32x4Mul();
      return;
    case 'hard_sigmoid':
      f.set(t.t0);
      f.get(t.t0).get(t.k(1 / 6)).f32x4Mul();
      f.get(y).get(t.k(0)).f32x4Gt().get(y).get(t.k(1)).f32x4Lt().v128And().v128And();
      return;
    default:
  }
}

/** act_map(x, y, n): y[i] = act(x[i]) for n floats (n a multiple of 4; byte addresses). For tests. */
function mapFunction(kind: GateActivation): Fn {
  const f = new Fn([I32, I32, I32]);
  const [X, Y, N] = [0, 1, 2];
  const t = temps(f);
  const v = f.local(V128), i = f.local(I32);
  f.i32(0).set(i);
  f.block().loop();
  f.get(i).get(N).i32(2).shl().geU().brIf(1);
  f.get(X).get(i).add().v128Load(0).set(v);
  f.get(Y).get(i).add();
  activate(f, kind, v, t);
  f.v128Store(0);
  f.get(i).i32(16).add().set(i);
  f.br(0).end().end();
  t.hoist();
  return f;
}

/** Parameters of lstm_fwd, in order (byte addresses and byte strides). */
export const LSTM_FWD_PARAMS = ['z', 'ldz', 'xw', 'ldxw', 'mask', 'ldmask', 'h', 'c', 'hs', 'cs', 'ldout', 'cache', 'ldcache', 'units', 'batch'] as const;

/**
 * One forward step of the LSTM's gates for every row b of the batch: with z = h·U (row b at
 * z + b·ldz) and xw the input projection at this time (row at xw + b·ldxw), gates i, f, g, o
 * (units each), cache ← (i, f, g, o), and unless the row's mask value (f32 at mask + b·ldmask;
 * mask 0 means no mask) is 0: c ← f·c + i·g, h ← o·act(c) (rows at h/c + b·units·4); then
 * hs ← h, cs ← c (rows at + b·ldout). units a multiple of 4.
 */
function lstmForward(a: GateActivation, ra: GateActivation): Fn {
  const f = new Fn(LSTM_FWD_PARAMS.map(() => I32));
  const P = Object.fromEntries(LSTM_FWD_PARAMS.map((n, i) => [n, i])) as Record<(typeof LSTM_FWD_PARAMS)[number], number>;
  const t = temps(f);
  const b = f.local(I32), j = f.local(I32), u4 = f.local(I32), keep = f.local(I32);
  const pz = f.local(I32), px = f.local(I32), ph = f.local(I32), po = f.local(I32), pk = f.local(I32);
  const x = f.local(V128), gi = f.local(V128), gf = f.local(V128), gg = f.local(V128), go = f.local(V128), cn = f.local(V128);
  f.get(P.units).i32(2).shl().set(u4);
  f.i32(0).set(b);
  f.block().loop(); // rows
  f.get(b).get(P.batch).geU().brIf(1);
  f.i32(1).set(keep);
  f.get(P.mask).ifThen();
  f.get(P.mask).get(b).get(P.ldmask).mul().add().f32Load(0).f32Const(0).f32Ne().set(keep);
  f.end();
  f.i32(0).set(j);
  f.block().loop(); // units, 4 at a time
  f.get(j).get(u4).geU().brIf(1);
  f.get(P.z).get(b).get(P.ldz).mul().add().get(j).add().set(pz);
  f.get(P.xw).get(b).get(P.ldxw).mul().add().get(j).add().set(px);
  const gate = (k: number, kind: GateActivation, into: number) => {
    f.get(pz);
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.v128Load(0).get(px);
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.v128Load(0).f32x4Add().set(x);
    activate(f, kind, x, t);
    f.set(into);
  };
  gate(0, ra, gi);
  gate(1, ra, gf);
  gate(2, a, gg);
  gate(3, ra, go);
  f.get(P.cache).get(b).get(P.ldcache).mul().add().get(j).add().set(pk);
  [gi, gf, gg, go].forEach((g, k) => {
    f.get(pk);
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(g).v128Store(0);
  });
  f.get(b).get(u4).mul().get(j).add().set(ph); // offset of (b, j) in h and c
  f.get(keep).ifThen();
  f.get(gf).get(P.c).get(ph).add().v128Load(0).f32x4Mul().get(gi).get(gg).f32x4Mul().f32x4Add().set(cn);
  f.get(P.c).get(ph).add().get(cn).v128Store(0);
  f.get(P.h).get(ph).add().get(go);
  activate(f, a, cn, t);
  f.f32x4Mul().v128Store(0);
  f.end();
  f.get(b).get(P.ldout).mul().get(j).add().set(po);
  f.get(P.cs).get(po).add().get(P.c).get(ph).add().v128Load(0).v128Store(0);
  f.get(P.hs).get(po).add().get(P.h).get(ph).add().v128Load(0).v128Store(0);
  f.get(j).i32(16).add().set(j);
  f.br(0).end().end();
  f.get(b).i32(1).add().set(b);
  f.br(0).end().end();
  t.hoist();
  return f;
}

/** Parameters of lstm_bwd, in order (byte addresses and byte strides). */
export const LSTM_BWD_PARAMS = [
  'cache', 'ldcache', 'cs', 'dhs', 'dcs', 'ldout', 'cprev', 'ldcprev', 'mask', 'ldmask', 'dh', 'dc', 'carry', 'dhu', 'dxw', 'ldxw', 'units', 'batch',
] as const;

/**
 * One step back through time for every row b: from the gates (cache), the cell state cs and the
 * one before (cprev), the gradients reaching h (dh + dhs) and c (dc + dcs), write the gradient of
 * the gate pre-activations to dhu (row b at dhu + b·units·16) and dxw (at dxw + b·ldxw),
 * dc ← dc_total·f and carry ← 0. A masked row hands its gradients on: carry ← dh + dhs,
 * dc ← dc + dcs, zeros in dhu and dxw. The caller then adds dhu·Uᵀ to carry: the next dh.
 */
function lstmBackward(a: GateActivation, ra: GateActivation): Fn {
  const f = new Fn(LSTM_BWD_PARAMS.map(() => I32));
  const P = Object.fromEntries(LSTM_BWD_PARAMS.map((n, i) => [n, i])) as Record<(typeof LSTM_BWD_PARAMS)[number], number>;
  const t = temps(f);
  const b = f.local(I32), j = f.local(I32), u4 = f.local(I32), keep = f.local(I32);
  const pk = f.local(I32), ph = f.local(I32), po = f.local(I32), pu = f.local(I32), px = f.local(I32);
  const gi = f.local(V128), gf = f.local(V128), gg = f.local(V128), go = f.local(V128);
  const dhIn = f.local(V128), actC = f.local(V128), dcAll = f.local(V128), v = f.local(V128);
  f.get(P.units).i32(2).shl().set(u4);
  f.i32(0).set(b);
  f.block().loop(); // rows
  f.get(b).get(P.batch).geU().brIf(1);
  f.i32(1).set(keep);
  f.get(P.mask).ifThen();
  f.get(P.mask).get(b).get(P.ldmask).mul().add().f32Load(0).f32Const(0).f32Ne().set(keep);
  f.end();
  f.get(P.dhu).get(b).get(u4).i32(4).mul().mul().add().set(pu);
  f.get(P.dxw).get(b).get(P.ldxw).mul().add().set(px);
  f.i32(0).set(j);
  f.block().loop(); // units, 4 at a time
  f.get(j).get(u4).geU().brIf(1);
  f.get(b).get(u4).mul().get(j).add().set(ph);
  f.get(b).get(P.ldout).mul().get(j).add().set(po);
  // dhIn = dh + dhs
  f.get(P.dh).get(ph).add().v128Load(0).get(P.dhs).get(po).add().v128Load(0).f32x4Add().set(dhIn);
  f.get(keep).ifElse();
  f.get(P.cache).get(b).get(P.ldcache).mul().add().get(j).add().set(pk);
  [gi, gf, gg, go].forEach((g, k) => {
    f.get(pk);
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.v128Load(0).set(g);
  });
  f.get(P.cs).get(po).add().v128Load(0).set(v);
  activate(f, a, v, t);
  f.set(actC);
  // dcAll = dc + dcs + dhIn·o·act'(c)
  f.get(dhIn).get(go).f32x4Mul();
  timesSlope(f, a, actC, t);
  f.get(P.dc).get(ph).add().v128Load(0).f32x4Add().get(P.dcs).get(po).add().v128Load(0).f32x4Add().set(dcAll);
  const store = (k: number) => {
    f.set(v);
    f.get(pu).get(j).add();
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(v).v128Store(0);
    f.get(px).get(j).add();
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(v).v128Store(0);
  };
  f.get(dcAll).get(gg).f32x4Mul();
  timesSlope(f, ra, gi, t);
  store(0);
  f.get(dcAll).get(P.cprev).get(b).get(P.ldcprev).mul().add().get(j).add().v128Load(0).f32x4Mul();
  timesSlope(f, ra, gf, t);
  store(1);
  f.get(dcAll).get(gi).f32x4Mul();
  timesSlope(f, a, gg, t);
  store(2);
  f.get(dhIn).get(actC).f32x4Mul();
  timesSlope(f, ra, go, t);
  store(3);
  f.get(P.dc).get(ph).add().get(dcAll).get(gf).f32x4Mul().v128Store(0);
  f.get(P.carry).get(ph).add().v128Zero().v128Store(0);
  f.orElse();
  f.get(P.carry).get(ph).add().get(dhIn).v128Store(0);
  f.get(P.dc).get(ph).add().get(P.dc).get(ph).add().v128Load(0).get(P.dcs).get(po).add().v128Load(0).f32x4Add().v128Store(0);
  for (let k = 0; k < 4; k++) {
    f.v128Zero().set(v);
    f.get(pu).get(j).add();
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(v).v128Store(0);
    f.get(px).get(j).add();
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(v).v128Store(0);
  }
  f.end();
  f.get(j).i32(16).add().set(j);
  f.br(0).end().end();
  f.get(b).i32(1).add().set(b);
  f.br(0).end().end();
  t.hoist();
  return f;
}

/** Named i32 parameters of a pass: their local indices. */
function params<N extends string>(names: readonly N[]): { f: Fn; P: Record<N, number> } {
  const f = new Fn(names.map(() => I32));
  return { f, P: Object.fromEntries(names.map((n, i) => [n, i])) as Record<N, number> };
}

/**
 * The skeleton of every pass: for each row b < batch, `keep` ← the row's mask value ≠ 0 (1
 * without a mask), `row()`; then for each 4 units (byte offset j < units·4), `unit()`.
 */
function rowsAndUnits(
  f: Fn,
  P: { mask: number; ldmask: number; units: number; batch: number },
  v: { b: number; j: number; u4: number; keep: number },
  row: () => void,
  unit: () => void,
): void {
  f.get(P.units).i32(2).shl().set(v.u4);
  f.i32(0).set(v.b);
  f.block().loop();
  f.get(v.b).get(P.batch).geU().brIf(1);
  f.i32(1).set(v.keep);
  f.get(P.mask).ifThen();
  f.get(P.mask).get(v.b).get(P.ldmask).mul().add().f32Load(0).f32Const(0).f32Ne().set(v.keep);
  f.end();
  row();
  f.i32(0).set(v.j);
  f.block().loop();
  f.get(v.j).get(v.u4).geU().brIf(1);
  unit();
  f.get(v.j).i32(16).add().set(v.j);
  f.br(0).end().end();
  f.get(v.b).i32(1).add().set(v.b);
  f.br(0).end().end();
}

/** Stores local `val` at (local `base`) + j + k·units·4 for each k of `gates`. */
function storeGates(f: Fn, base: number, j: number, u4: number, vals: number[]): void {
  vals.forEach((val, k) => {
    f.get(base).get(j).add();
    if (k > 0) f.get(u4).i32(k).mul().add();
    f.get(val).v128Store(0);
  });
}

/** Parameters of gru_fwd (byte addresses and strides). */
export const GRU_FWD_PARAMS = ['z', 'ldz', 'xw', 'ldxw', 'mask', 'ldmask', 'h', 'hs', 'ldout', 'cache', 'ldcache', 'units', 'batch'] as const;

/**
 * One forward step of Keras's GRU (reset_after) for every row: z = h·U + b_rec (row at z + b·ldz),
 * xw at this time; zg = ra(xw_z + z_z), r = ra(xw_r + z_r), hh = a(xw_h + r·z_h); cache ← (zg, r,
 * hh, z_h); unless masked h ← hh + zg·(h − hh); hs ← h.
 */
function gruForward(a: GateActivation, ra: GateActivation): Fn {
  const { f, P } = params(GRU_FWD_PARAMS);
  const t = temps(f);
  const v = { b: f.local(I32), j: f.local(I32), u4: f.local(I32), keep: f.local(I32) };
  const pz = f.local(I32), px = f.local(I32), ph = f.local(I32), pk = f.local(I32);
  const x = f.local(V128), gz = f.local(V128), gr = f.local(V128), gh = f.local(V128), uh = f.local(V128);
  const at = (base: number, k: number) => {
    f.get(base);
    if (k > 0) f.get(v.u4).i32(k).mul().add();
    f.v128Load(0);
  };
  rowsAndUnits(f, P, v, () => {}, () => {
    const { b, j } = v;
    f.get(P.z).get(b).get(P.ldz).mul().add().get(j).add().set(pz);
    f.get(P.xw).get(b).get(P.ldxw).mul().add().get(j).add().set(px);
    at(px, 0); at(pz, 0); f.f32x4Add().set(x);
    activate(f, ra, x, t); f.set(gz);
    at(px, 1); at(pz, 1); f.f32x4Add().set(x);
    activate(f, ra, x, t); f.set(gr);
    at(pz, 2); f.set(uh);
    at(px, 2); f.get(gr).get(uh).f32x4Mul().f32x4Add().set(x);
    activate(f, a, x, t); f.set(gh);
    f.get(P.cache).get(b).get(P.ldcache).mul().add().set(pk);
    storeGates(f, pk, j, v.u4, [gz, gr, gh, uh]);
    f.get(b).get(v.u4).mul().get(j).add().get(P.h).add().set(ph);
    f.get(v.keep).ifThen();
    f.get(ph).get(gh).get(gz).get(ph).v128Load(0).get(gh).f32x4Sub().f32x4Mul().f32x4Add().v128Store(0);
    f.end();
    f.get(P.hs).get(b).get(P.ldout).mul().add().get(j).add().get(ph).v128Load(0).v128Store(0);
  });
  t.hoist();
  return f;
}

/** Parameters of gru_bwd (byte addresses and strides; `all` and `dxw` share ldxw). */
export const GRU_BWD_PARAMS = ['cache', 'ldcache', 'prev', 'ldprev', 'dhs', 'ldout', 'mask', 'ldmask', 'dh', 'carry', 'dhu', 'all', 'dxw', 'ldxw', 'units', 'batch'] as const;

/**
 * One GRU step back for every row: from the cache (zg, r, hh, z_h), h_{s−1} (prev) and dhIn =
 * dh + dhs: dah = dhIn·(1 − zg)·a'(hh), daz = dhIn·(prev − hh)·ra'(zg), dar = dah·z_h·ra'(r);
 * dxw ← (daz, dar, dah); dhu and all ← (daz, dar, dah·r) (the gradient reaching h·U + b_rec);
 * carry ← dhIn·zg. A masked row: carry ← dhIn, zeros elsewhere.
 */
function gruBackward(a: GateActivation, ra: GateActivation): Fn {
  const { f, P } = params(GRU_BWD_PARAMS);
  const t = temps(f);
  const v = { b: f.local(I32), j: f.local(I32), u4: f.local(I32), keep: f.local(I32) };
  const pk = f.local(I32), ph = f.local(I32), pu = f.local(I32), pa = f.local(I32), px = f.local(I32);
  const gz = f.local(V128), gr = f.local(V128), gh = f.local(V128), uh = f.local(V128);
  const dhIn = f.local(V128), dah = f.local(V128), daz = f.local(V128), dar = f.local(V128), dhr = f.local(V128), zero = f.local(V128);
  const load = (k: number) => {
    f.get(pk);
    if (k > 0) f.get(v.u4).i32(k).mul().add();
    f.v128Load(0);
  };
  f.v128Zero().set(zero);
  rowsAndUnits(
    f, P, v,
    () => {
      f.get(P.dhu).get(v.b).get(v.u4).i32(3).mul().mul().add().set(pu);
      f.get(P.dxw).get(v.b).get(P.ldxw).mul().add().set(px);
      f.get(P.all).get(v.b).get(P.ldxw).mul().add().set(pa);
    },
    () => {
      const { b, j } = v;
      f.get(b).get(v.u4).mul().get(j).add().set(ph);
      f.get(P.dh).get(ph).add().v128Load(0).get(P.dhs).get(b).get(P.ldout).mul().add().get(j).add().v128Load(0).f32x4Add().set(dhIn);
      f.get(v.keep).ifElse();
      f.get(P.cache).get(b).get(P.ldcache).mul().add().get(j).add().set(pk);
      load(0); f.set(gz);
      load(1); f.set(gr);
      load(2); f.set(gh);
      load(3); f.set(uh);
      f.get(dhIn).get(t.k(1)).get(gz).f32x4Sub().f32x4Mul();
      timesSlope(f, a, gh, t);
      f.set(dah);
      f.get(dhIn).get(P.prev).get(b).get(P.ldprev).mul().add().get(j).add().v128Load(0).get(gh).f32x4Sub().f32x4Mul();
      timesSlope(f, ra, gz, t);
      f.set(daz);
      f.get(dah).get(uh).f32x4Mul();
      timesSlope(f, ra, gr, t);
      f.set(dar);
      f.get(dah).get(gr).f32x4Mul().set(dhr);
      storeGates(f, px, j, v.u4, [daz, dar, dah]);
      storeGates(f, pu, j, v.u4, [daz, dar, dhr]);
      storeGates(f, pa, j, v.u4, [daz, dar, dhr]);
      f.get(P.carry).get(ph).add().get(dhIn).get(gz).f32x4Mul().v128Store(0);
      f.orElse();
      f.get(P.carry).get(ph).add().get(dhIn).v128Store(0);
      storeGates(f, px, j, v.u4, [zero, zero, zero]);
      storeGates(f, pu, j, v.u4, [zero, zero, zero]);
      storeGates(f, pa, j, v.u4, [zero, zero, zero]);
      f.end();
    },
  );
  t.hoist();
  return f;
}

/** Parameters of simple_fwd. */
export const SIMPLE_FWD_PARAMS = ['z', 'ldz', 'xw', 'ldxw', 'mask', 'ldmask', 'h', 'hs', 'ldout', 'units', 'batch'] as const;

/** One SimpleRNN step: unless masked h ← a(xw + z) (z = h·U); hs ← h. */
function simpleForward(a: GateActivation): Fn {
  const { f, P } = params(SIMPLE_FWD_PARAMS);
  const t = temps(f);
  const v = { b: f.local(I32), j: f.local(I32), u4: f.local(I32), keep: f.local(I32) };
  const ph = f.local(I32), x = f.local(V128);
  rowsAndUnits(f, P, v, () => {}, () => {
    const { b, j } = v;
    f.get(b).get(v.u4).mul().get(j).add().get(P.h).add().set(ph);
    f.get(v.keep).ifThen();
    f.get(P.xw).get(b).get(P.ldxw).mul().add().get(j).add().v128Load(0);
    f.get(P.z).get(b).get(P.ldz).mul().add().get(j).add().v128Load(0).f32x4Add().set(x);
    f.get(ph);
    activate(f, a, x, t);
    f.v128Store(0);
    f.end();
    f.get(P.hs).get(b).get(P.ldout).mul().add().get(j).add().get(ph).v128Load(0).v128Store(0);
  });
  t.hoist();
  return f;
}

/** Parameters of simple_bwd. */
export const SIMPLE_BWD_PARAMS = ['hs', 'dhs', 'ldout', 'mask', 'ldmask', 'dh', 'carry', 'dhu', 'dxw', 'ldxw', 'units', 'batch'] as const;

/** One SimpleRNN step back: d = (dh + dhs)·a'(hs) into dhu and dxw, carry ← 0; masked: carry ← dh + dhs, zeros. */
function simpleBackward(a: GateActivation): Fn {
  const { f, P } = params(SIMPLE_BWD_PARAMS);
  const t = temps(f);
  const v = { b: f.local(I32), j: f.local(I32), u4: f.local(I32), keep: f.local(I32) };
  const ph = f.local(I32), po = f.local(I32), px = f.local(I32), d = f.local(V128), dhIn = f.local(V128);
  rowsAndUnits(f, P, v, () => {}, () => {
    const { b, j } = v;
    f.get(b).get(v.u4).mul().get(j).add().set(ph);
    f.get(b).get(P.ldout).mul().get(j).add().set(po);
    f.get(P.dxw).get(b).get(P.ldxw).mul().add().get(j).add().set(px);
    f.get(P.dh).get(ph).add().v128Load(0).get(P.dhs).get(po).add().v128Load(0).f32x4Add().set(dhIn);
    f.get(v.keep).ifElse();
    f.get(dhIn);
    f.get(P.hs).get(po).add().v128Load(0).set(d);
    timesSlope(f, a, d, t);
    f.set(d);
    f.get(P.carry).get(ph).add().v128Zero().v128Store(0);
    f.orElse();
    f.get(P.carry).get(ph).add().get(dhIn).v128Store(0);
    f.v128Zero().set(d);
    f.end();
    f.get(P.dhu).get(ph).add().get(d).v128Store(0);
    f.get(px).get(d).v128Store(0);
  });
  t.hoist();
  return f;
}

/** The module's exports. */
export interface RecurrentExports {
  /** y[i] = act(x[i]) (byte addresses, n a multiple of 4): the activation alone, for tests. */
  act_map(x: number, y: number, n: number): void;
  /** y[i] = recurrent activation(x[i]). */
  ract_map(x: number, y: number, n: number): void;
  lstm_fwd(...args: number[]): void;
  lstm_bwd(...args: number[]): void;
  gru_fwd(...args: number[]): void;
  gru_bwd(...args: number[]): void;
  simple_fwd(...args: number[]): void;
  simple_bwd(...args: number[]): void;
}

/**
 * The module for one pair of activations over an imported memory (`shared` as the memory is;
 * its maximum declared as wasm32's, so any memory with a maximum fits).
 */
export function recurrentModuleBytes(a: GateActivation, ra: GateActivation, shared: boolean): Uint8Array<ArrayBuffer> {
  return assemble(
    {
      act_map: mapFunction(a),
      ract_map: mapFunction(ra),
      lstm_fwd: lstmForward(a, ra),
      lstm_bwd: lstmBackward(a, ra),
      gru_fwd: gruForward(a, ra),
      gru_bwd: gruBackward(a, ra),
      simple_fwd: simpleForward(a),
      simple_bwd: simpleBackward(a),
    },
    { initial: 1, maximum: 65536, shared },
  );
}

const cache = new WeakMap<WebAssembly.Memory, Map<string, RecurrentExports | null>>();

/**
 * The module's exports over `memory` for these activations (compiled once per memory and pair),
 * or null where WebAssembly SIMD is not available.
 */
export function recurrentModule(memory: WebAssembly.Memory, a: GateActivation, ra: GateActivation): RecurrentExports | null {
  let byPair = cache.get(memory);
  if (!byPair) cache.set(memory, (byPair = new Map()));
  const key = `${a}/${ra}`;
  if (!byPair.has(key)) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    try {
      const module = new WebAssembly.Module(recurrentModuleBytes(a, ra, shared));
      byPair.set(key, new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as RecurrentExports);
    } catch {
      byPair.set(key, null);
    }
  }
  return byPair.get(key) ?? null;
}
