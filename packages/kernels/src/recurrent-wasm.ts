// The recurrent time loop (LSTM, GRU, SimpleRNN) entirely in the GEMM engine's memory: per step
// one product h·U (+ the GRU's recurrent bias) on regions (no copies of U, h or z), then the
// cell's gate pass of recurrent-module.ts (WebAssembly SIMD) over the same memory; back through
// time one gate-derivative pass and one product dz·Uᵀ added into the carried gradient, and at the
// end Σₜ hₜ₋₁ᵀ·dzₜ as one product. The sequence tensors are copied in and out once per call
// (memcpy). Same maths as the JS loops of recurrent-kernels.ts and the portable bodies (tests
// compare all three).
import { gateCount, cacheWidth, type RecurrentAttrs } from '@neurona/tensor/kernel-api';

type RecurrentCell = RecurrentAttrs['cell'];
import type { GemmEngine } from './gemm-engine';
import { recurrentModule, type RecurrentExports } from './recurrent-module';

const round4 = (n: number) => Math.ceil(n / 4) * 4;

/** Float offsets of consecutive regions from `base`, each 16-byte aligned; `end` is past the last. */
function layout<K extends string>(base: number, sizes: Record<K, number>): { at: Record<K, number>; end: number } {
  let p = round4(base);
  const at = {} as Record<K, number>;
  for (const k of Object.keys(sizes) as K[]) {
    at[k] = p;
    p = round4(p + sizes[k]);
  }
  return { at, end: p };
}

/** The shapes of one call. */
export interface LoopDims {
  cell: RecurrentCell;
  batch: number;
  steps: number;
  units: number;
  goBackwards: boolean;
}

/**
 * The gate module for these attributes on this engine, or null when the wasm path does not apply
 * (units not a multiple of 8, no SIMD, regions of `floats` that the memory cannot hold).
 */
export function gateModule(engine: GemmEngine, at: RecurrentAttrs, units: number, floats: number): RecurrentExports | null {
  if (units % 8 !== 0) return null;
  // room for every region above the engine's held ones (fits' other operands left empty)
  if (!engine.fits(floats + 64, 0, 0, 0, 0)) return null;
  return recurrentModule(engine.memory, at.activation, at.recurrentActivation);
}

function forwardSizes(d: LoopDims, masked: boolean, recurrentBias: boolean) {
  const { cell, batch, steps, units } = d;
  const GH = gateCount(cell) * units;
  const Bp = round4(batch);
  const n = batch * steps;
  const lstm = cell === 'lstm';
  return {
    u: units * GH, rb: recurrentBias ? GH : 0, h: (Bp + 4) * units, c: lstm ? Bp * units : 0, z: Bp * GH, xw: n * GH,
    mask: masked ? n : 0, hs: n * units, cs: lstm ? n * units : 0, cache: n * cacheWidth(cell) * units,
  };
}

/** Floats the forward pass lays out in the engine's memory. */
export function forwardFloats(d: LoopDims, masked: boolean, recurrentBias: boolean): number {
  return Object.values(forwardSizes(d, masked, recurrentBias)).reduce((a, b) => a + b + 4, 64);
}

/** Inputs of the forward pass, as float32 views (c0 only for the LSTM, rb only with a recurrent bias). */
export interface ForwardIn {
  xw: Float32Array;
  u: Float32Array;
  h0: Float32Array;
  c0: Float32Array | null;
  rb: Float32Array | null;
  mask: Float32Array | null;
}

/** Runs the forward time loop; fills hs [batch, steps, units], cs (LSTM) and the cache. */
export function loopForward(
  engine: GemmEngine,
  mod: RecurrentExports,
  d: LoopDims,
  x: ForwardIn,
  out: { hs: Float32Array; cs: Float32Array | null; cache: Float32Array | null },
): void {
  const { cell, batch, steps, units, goBackwards } = d;
  const GH = gateCount(cell) * units;
  const CW = cacheWidth(cell) * units;
  const n = batch * steps;
  const { at, end } = layout(engine.scratchBase(), forwardSizes(d, !!x.mask, !!x.rb));
  const f = engine.scratch(end);
  f.set(x.u, at.u);
  if (x.rb) f.set(x.rb, at.rb);
  f.fill(0, at.h, at.z);
  f.set(x.h0, at.h);
  if (x.c0 && cell === 'lstm') f.set(x.c0, at.c);
  f.set(x.xw, at.xw);
  if (x.mask) f.set(x.mask, at.mask);
  const ldout = steps * units * 4;
  for (let s = 0; s < steps; s++) {
    const t = goBackwards ? steps - 1 - s : s;
    engine.gemm({ a: at.h, lda: units, aTransposed: false, b: at.u, ldb: GH, c: at.z, ldc: GH, m: batch, n: GH, k: units, bias: x.rb ? at.rb : 0 });
    const xwT = (at.xw + t * GH) * 4;
    const mask = x.mask ? (at.mask + t) * 4 : 0;
    const hsS = (at.hs + s * units) * 4;
    if (cell === 'lstm') {
      mod.lstm_fwd(at.z * 4, GH * 4, xwT, steps * GH * 4, mask, steps * 4, at.h * 4, at.c * 4, hsS, (at.cs + s * units) * 4, ldout, (at.cache + s * CW) * 4, steps * CW * 4, units, batch);
    } else if (cell === 'gru') {
      mod.gru_fwd(at.z * 4, GH * 4, xwT, steps * GH * 4, mask, steps * 4, at.h * 4, hsS, ldout, (at.cache + s * CW) * 4, steps * CW * 4, units, batch);
    } else {
      mod.simple_fwd(at.z * 4, GH * 4, xwT, steps * GH * 4, mask, steps * 4, at.h * 4, hsS, ldout, units, batch);
    }
  }
  const g = engine.heap(); // the same memory (gemm does not grow it); a fresh view all the same
  out.hs.set(g.subarray(at.hs, at.hs + n * units));
  if (out.cs) out.cs.set(g.subarray(at.cs, at.cs + n * units));
  if (out.cache) out.cache.set(g.subarray(at.cache, at.cache + n * CW));
}

function backwardSizes(d: LoopDims, masked: boolean) {
  const { cell, batch, steps, units } = d;
  const GH = gateCount(cell) * units;
  const Bp = round4(batch);
  const n = batch * steps;
  const lstm = cell === 'lstm';
  return {
    ut: GH * units, du: units * GH, cache: n * cacheWidth(cell) * units, cs: lstm ? n * units : 0, hs: cell === 'simple' ? n * units : 0,
    dhs: n * units, dcs: lstm ? n * units : 0, c0: lstm ? batch * units : 0, hPrev: n * units + 16, dxw: n * GH,
    all: cell === 'gru' ? n * GH : 0, dhu: (Bp + 4) * GH, dh: Bp * units, carry: Bp * units, dc: lstm ? Bp * units : 0, mask: masked ? n : 0,
  };
}

/** Floats the backward pass lays out in the engine's memory. */
export function backwardFloats(d: LoopDims, masked: boolean): number {
  return Object.values(backwardSizes(d, masked)).reduce((a, b) => a + b + 4, 64);
}

/** Inputs of the backward pass, as float32 views (dcs, c0, cs only for the LSTM). */
export interface BackwardIn {
  dhs: Float32Array;
  dcs: Float32Array | null;
  u: Float32Array;
  h0: Float32Array;
  c0: Float32Array | null;
  hs: Float32Array;
  cs: Float32Array | null;
  cache: Float32Array | null;
  mask: Float32Array | null;
}

/** Back through time; fills dxw, du, dh0, and dc0 (LSTM) and drb (a GRU's recurrent bias) where given. */
export function loopBackward(
  engine: GemmEngine,
  mod: RecurrentExports,
  d: LoopDims,
  x: BackwardIn,
  out: { dxw: Float32Array; du: Float32Array; dh0: Float32Array; dc0: Float32Array | null; drb: Float32Array | null },
): void {
  const { cell, batch, steps, units, goBackwards } = d;
  const GH = gateCount(cell) * units;
  const CW = cacheWidth(cell) * units;
  const n = batch * steps;
  const { at, end } = layout(engine.scratchBase(), backwardSizes(d, !!x.mask));
  const f = engine.scratch(end);
  // Uᵀ once, so each step's dz·Uᵀ reads a plain row-major B
  f.set(x.u, at.du);
  engine.transposeInto(at.du, units, GH, GH, at.ut, units);
  if (x.cache && CW > 0) f.set(x.cache, at.cache);
  if (cell === 'lstm') {
    f.set(x.cs as Float32Array, at.cs);
    f.set(x.dcs as Float32Array, at.dcs);
    f.set(x.c0 as Float32Array, at.c0);
  }
  if (cell === 'simple') f.set(x.hs, at.hs);
  f.set(x.dhs, at.dhs);
  if (x.mask) f.set(x.mask, at.mask);
  f.fill(0, at.dhu, at.mask);
  // h_{s−1} of every step at the row of the time it read: the A of the kernel's gradient
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      const src = s > 0 ? x.hs.subarray((b * steps + s - 1) * units, (b * steps + s) * units) : x.h0.subarray(b * units, (b + 1) * units);
      f.set(src, at.hPrev + (b * steps + t) * units);
    }
  }
  const ldout = steps * units * 4;
  const ldxw = steps * GH * 4;
  let dh = at.dh;
  let carry = at.carry;
  for (let s = steps - 1; s >= 0; s--) {
    const t = goBackwards ? steps - 1 - s : s;
    const mask = x.mask ? (at.mask + t) * 4 : 0;
    const dhsS = (at.dhs + s * units) * 4;
    const dxwT = (at.dxw + t * GH) * 4;
    if (cell === 'lstm') {
      const [cprev, ldcprev] = s > 0 ? [at.cs + (s - 1) * units, steps * units] : [at.c0, units];
      mod.lstm_bwd(
        (at.cache + s * CW) * 4, steps * CW * 4, (at.cs + s * units) * 4, dhsS, (at.dcs + s * units) * 4, ldout,
        cprev * 4, ldcprev * 4, mask, steps * 4, dh * 4, at.dc * 4, carry * 4, at.dhu * 4, dxwT, ldxw, units, batch,
      );
    } else if (cell === 'gru') {
      mod.gru_bwd(
        (at.cache + s * CW) * 4, steps * CW * 4, (at.hPrev + t * units) * 4, ldout, dhsS, ldout, mask, steps * 4,
        dh * 4, carry * 4, at.dhu * 4, (at.all + t * GH) * 4, dxwT, ldxw, units, batch,
      );
    } else {
      mod.simple_bwd((at.hs + s * units) * 4, dhsS, ldout, mask, steps * 4, dh * 4, carry * 4, at.dhu * 4, dxwT, ldxw, units, batch);
    }
    // carry (the part that skips h·U, e.g. all of a masked row's) + dz·Uᵀ is the next dh
    engine.gemm({ a: at.dhu, lda: GH, aTransposed: false, b: at.ut, ldb: units, c: carry, ldc: units, m: batch, n: units, k: GH, accumulate: true });
    [dh, carry] = [carry, dh];
  }
  // the gradient reaching h·U (+ b_rec): the GRU's own rows, else dxw's
  const dz = cell === 'gru' ? at.all : at.dxw;
  engine.gemm({ a: at.hPrev, lda: units, aTransposed: true, b: dz, ldb: GH, c: at.du, ldc: GH, m: units, n: GH, k: n });
  const g = engine.heap();
  out.dxw.set(g.subarray(at.dxw, at.dxw + n * GH));
  out.du.set(g.subarray(at.du, at.du + units * GH));
  out.dh0.set(g.subarray(dh, dh + batch * units));
  if (out.dc0) out.dc0.set(g.subarray(at.dc, at.dc + batch * units));
  if (out.drb) {
    const acc = new Float64Array(GH);
    for (let r = 0, o = dz; r < n; r++, o += GH) for (let j = 0; j < GH; j++) acc[j] += g[o + j];
    out.drb.set(acc);
  }
}
