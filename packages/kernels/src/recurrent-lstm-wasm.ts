// The LSTM's time loop entirely in the GEMM engine's memory: per step one product h·U on regions
// (no copies of U, h or z), then the gate pass of recurrent-module.ts (WebAssembly SIMD) over
// the same memory; back through time one gate-derivative pass and one product dz·Uᵀ added into
// the carried gradient, and at the end Σₜ hₜ₋₁ᵀ·dzₜ as one product. The sequence tensors are
// copied in and out once per call (memcpy). Same maths as the JS loop of recurrent-kernels.ts
// and the portable bodies (tests compare all three).
import type { RecurrentAttrs } from '@neurona/tensor/kernel-api';
import type { GemmEngine } from './gemm-engine';
import { recurrentModule, type RecurrentExports } from './recurrent-module';

/** A float32 view of a tensor's memory and the means to allocate outputs (from raw-data.ts). */
export interface RawLike<Info> {
  alloc(shape: number[], dtype: 'float32'): Info;
  view(t: Info): Float32Array | Int32Array | Uint8Array;
}

const round4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * The engine's WebAssembly.Memory. GemmEngine keeps it private; the gate module must import the
 * same memory to work on the engine's regions. Null when it is not there (another engine).
 */
function engineMemory(engine: GemmEngine): WebAssembly.Memory | null {
  const m = (engine as unknown as { memory?: unknown }).memory;
  return m instanceof WebAssembly.Memory ? m : null;
}

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

/**
 * The gate module for an LSTM with these attributes on this engine, or null when the wasm path
 * does not apply (units not a multiple of 8, a recurrent bias, no SIMD, memory too small).
 */
export function lstmWasm(engine: GemmEngine, at: RecurrentAttrs, units: number, floats: number): RecurrentExports | null {
  if (at.cell !== 'lstm' || at.recurrentBias || units % 8 !== 0) return null;
  // room for all regions above the engine's held ones (fits' other operands left empty)
  if (!engine.fits(floats + 64, 0, 0, 0, 0)) return null;
  const memory = engineMemory(engine);
  return memory ? recurrentModule(memory, at.activation, at.recurrentActivation) : null;
}

/** Floats the forward pass lays out in the engine's memory. */
export function lstmForwardFloats(batch: number, steps: number, units: number, masked: boolean): number {
  const GH = 4 * units;
  const Bp = round4(batch);
  return units * GH + (Bp + 4) * units + Bp * units + Bp * GH + batch * steps * (2 * GH + 2 * units) + (masked ? batch * steps : 0) + 64;
}

/** Inputs of the forward pass, as float32 views. */
export interface LstmForwardIn {
  xw: Float32Array;
  u: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
  mask: Float32Array | null;
}

/** Runs the forward time loop; fills hs, cs [batch, steps, units] and cache [batch, steps, 4·units]. */
export function lstmForward(
  engine: GemmEngine,
  mod: RecurrentExports,
  dims: { batch: number; steps: number; units: number; goBackwards: boolean },
  x: LstmForwardIn,
  out: { hs: Float32Array; cs: Float32Array; cache: Float32Array },
): void {
  const { batch, steps, units, goBackwards } = dims;
  const GH = 4 * units;
  const Bp = round4(batch);
  const n = batch * steps;
  const { at, end } = layout(engine.scratchBase(), {
    u: units * GH, h: (Bp + 4) * units, c: Bp * units, z: Bp * GH, xw: n * GH, mask: x.mask ? n : 0, hs: n * units, cs: n * units, cache: n * GH,
  });
  const f = engine.scratch(end);
  f.set(x.u, at.u);
  f.fill(0, at.h, at.z);
  f.set(x.h0, at.h);
  f.set(x.c0, at.c);
  f.set(x.xw, at.xw);
  if (x.mask) f.set(x.mask, at.mask);
  for (let s = 0; s < steps; s++) {
    const t = goBackwards ? steps - 1 - s : s;
    engine.gemm({ a: at.h, lda: units, aTransposed: false, b: at.u, ldb: GH, c: at.z, ldc: GH, m: batch, n: GH, k: units });
    mod.lstm_fwd(
      at.z * 4, GH * 4, (at.xw + t * GH) * 4, steps * GH * 4, x.mask ? (at.mask + t) * 4 : 0, steps * 4,
      at.h * 4, at.c * 4, (at.hs + s * units) * 4, (at.cs + s * units) * 4, steps * units * 4, (at.cache + s * GH) * 4, steps * GH * 4, units, batch,
    );
  }
  const g = engine.heap(); // the same memory (gemm does not grow it); a fresh view all the same
  out.hs.set(g.subarray(at.hs, at.hs + n * units));
  out.cs.set(g.subarray(at.cs, at.cs + n * units));
  out.cache.set(g.subarray(at.cache, at.cache + n * GH));
}

/** Floats the backward pass lays out in the engine's memory. */
export function lstmBackwardFloats(batch: number, steps: number, units: number, masked: boolean): number {
  const GH = 4 * units;
  const Bp = round4(batch);
  const n = batch * steps;
  return units * GH * 2 + n * (2 * GH + 4 * units) + batch * units + (Bp + 4) * GH + 3 * Bp * units + (masked ? n : 0) + 96;
}

/** Inputs of the backward pass, as float32 views. */
export interface LstmBackwardIn {
  dhs: Float32Array;
  dcs: Float32Array;
  u: Float32Array;
  h0: Float32Array;
  c0: Float32Array;
  hs: Float32Array;
  cs: Float32Array;
  cache: Float32Array;
  mask: Float32Array | null;
}

/** Back through time; fills dxw [batch, steps, 4·units], du [units, 4·units], dh0 and dc0 [batch, units]. */
export function lstmBackward(
  engine: GemmEngine,
  mod: RecurrentExports,
  dims: { batch: number; steps: number; units: number; goBackwards: boolean },
  x: LstmBackwardIn,
  out: { dxw: Float32Array; du: Float32Array; dh0: Float32Array; dc0: Float32Array },
): void {
  const { batch, steps, units, goBackwards } = dims;
  const GH = 4 * units;
  const Bp = round4(batch);
  const n = batch * steps;
  const { at, end } = layout(engine.scratchBase(), {
    ut: GH * units, du: units * GH, cache: n * GH, cs: n * units, dhs: n * units, dcs: n * units, c0: batch * units,
    hPrev: n * units + 16, dxw: n * GH, dhu: (Bp + 4) * GH, dh: Bp * units, carry: Bp * units, dc: Bp * units, mask: x.mask ? n : 0,
  });
  const f = engine.scratch(end);
  // Uᵀ once, so each step's dz·Uᵀ reads a plain row-major B
  f.set(x.u, at.du);
  engine.transposeInto(at.du, units, GH, GH, at.ut, units);
  f.set(x.cache, at.cache);
  f.set(x.cs, at.cs);
  f.set(x.dhs, at.dhs);
  f.set(x.dcs, at.dcs);
  f.set(x.c0, at.c0);
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
  let dh = at.dh;
  let carry = at.carry;
  for (let s = steps - 1; s >= 0; s--) {
    const t = goBackwards ? steps - 1 - s : s;
    const [cprev, ldcprev] = s > 0 ? [at.cs + (s - 1) * units, steps * units] : [at.c0, units];
    mod.lstm_bwd(
      (at.cache + s * GH) * 4, steps * GH * 4, (at.cs + s * units) * 4, (at.dhs + s * units) * 4, (at.dcs + s * units) * 4, steps * units * 4,
      cprev * 4, ldcprev * 4, x.mask ? (at.mask + t) * 4 : 0, steps * 4, dh * 4, at.dc * 4, carry * 4, at.dhu * 4, (at.dxw + t * GH) * 4, steps * GH * 4, units, batch,
    );
    // carry (0 for live rows, the passed-on gradient for masked ones) + dz·Uᵀ is the next dh
    engine.gemm({ a: at.dhu, lda: GH, aTransposed: false, b: at.ut, ldb: units, c: carry, ldc: units, m: batch, n: units, k: GH, accumulate: true });
    [dh, carry] = [carry, dh];
  }
  engine.gemm({ a: at.hPrev, lda: units, aTransposed: true, b: at.dxw, ldb: GH, c: at.du, ldc: GH, m: units, n: GH, k: n });
  const g = engine.heap();
  out.dxw.set(g.subarray(at.dxw, at.dxw + n * GH));
  out.du.set(g.subarray(at.du, at.du + units * GH));
  out.dh0.set(g.subarray(dh, dh + batch * units));
  out.dc0.set(g.subarray(at.dc, at.dc + batch * units));
}
