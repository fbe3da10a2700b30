// The recurrent time loop (`recurrentSequence`) on backends whose memory JavaScript can reach:
// each step is one product h·U on the GEMM engine for all gates and one pass over the gates in
// JS; back through time, one product dz·Uᵀ per step and, at the end, one product for the
// recurrent kernel's gradient over every step at once (Σₜ hₜ₋₁ᵀ·dzₜ as one [units × batch·steps]
// by [batch·steps × gates·units] product). The maths is the portable bodies' (recurrent.ts of
// @neurona/tensor); tests compare the two. Where WebAssembly SIMD is there and units are a multiple
// of 8, the loop runs instead in the GEMM engine's memory with the gate passes in wasm
// (recurrent-wasm.ts); the JS loops below are the fallback.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import {
  portableKernel,
  RECURRENT,
  RECURRENT_GRAD,
  gateCount,
  cacheWidth,
  type RecurrentAttrs,
  type BackendMemory,
  type PortableKernel,
} from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';
import { state } from './state';
import { matmulSliced } from './gemm-chunked';
import type { GemmEngine } from './gemm-engine';

type WasmLoop = typeof import('./recurrent-wasm');
let wasmLoopCode: WasmLoop | null = null;
let wasmLoopLoading: Promise<void> | null = null;

/**
 * The wasm time loop's code (recurrent-wasm.ts and its module builder), loaded on the first
 * recurrent call: bundlers make it a chunk of its own, which a page without recurrent layers never
 * fetches. Null until it is there (that call, and any before it resolves, runs the JS loops).
 */
function wasmLoop(): WasmLoop | null {
  wasmLoopLoading ??= import('./recurrent-wasm').then(
    (m) => void (wasmLoopCode = m),
    () => undefined, // cannot load: the JS loops stay
  );
  return wasmLoopCode;
}

/** Resolves when the wasm time loop's code is loaded (tests and benchmarks that time it from the first call). */
export function recurrentWasmLoaded(): Promise<void> {
  wasmLoop();
  return wasmLoopLoading as Promise<void>;
}

/**
 * Whether the time loop may take the WebAssembly gate passes (recurrent-wasm.ts); off, it runs
 * the JS loops below. For tests and profiling, which compare the two.
 */
export const recurrentWasm = { enabled: true };

type Act = RecurrentAttrs['activation'];

/** tanh from one exp (faster than Math.tanh in V8; exact to float32 rounding), saturating. */
function tanh(x: number): number {
  if (x > 20) return 1;
  if (x < -20) return -1;
  const e = Math.exp(2 * x);
  return (e - 1) / (e + 1);
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
const relu = (x: number): number => (x > 0 ? x : 0);
const hardSigmoid = (x: number): number => {
  const y = (x + 3) / 6;
  return y < 0 ? 0 : y > 1 ? 1 : y;
};
const linear = (x: number): number => x;

/** f(x) for each activation (looked up once per call, so each loop calls one function V8 can inline). */
const FN: Record<Act, (x: number) => number> = { sigmoid, tanh, relu, hard_sigmoid: hardSigmoid, linear };

/** f'(x) as a function of y = f(x). */
const SLOPE: Record<Act, (y: number) => number> = {
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
  relu: (y) => (y > 0 ? 1 : 0),
  hard_sigmoid: (y) => (y > 0 && y < 1 ? 1 / 6 : 0),
  linear: () => 1,
};

const allF32 = (inputs: Record<string, TensorInfo>): boolean => Object.values(inputs).every((t) => t.dtype === 'float32');

/** The engine and raw access, or null when the portable body must run. */
function setup(backendName: string, memory: BackendMemory, inputs: Record<string, TensorInfo>, backend: Parameters<PortableKernel>[1]) {
  const engine = state().engine;
  const raw = engine && rawAccess(backend, memory, backendName);
  if (!engine || !raw || !allF32(inputs)) return null;
  return { engine, raw };
}

function product(engine: GemmEngine, a: Float32Array, rows: number, cols: number, b: Float32Array, bRows: number, bCols: number, out: Float32Array, transposeB = false): void {
  engine.matmul({ data: a, rows, cols, transposed: false }, { data: b, rows: bRows, cols: bCols, transposed: transposeB }, out);
}

/** The forward time loop. */
export function recurrentBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const env = setup(backendName, memory, inputs, backend);
    const at = attrs as RecurrentAttrs;
    const { cell, activation: a, recurrentActivation: ra, goBackwards, masked, recurrentBias } = at;
    const units = inputs.u.shape[0];
    const [batch, steps] = inputs.xw.shape;
    const G = gateCount(cell);
    const GH = G * units;
    if (!env || !env.engine.fits(batch * units, units * GH, batch, GH, units)) return portableKernel(RECURRENT)(inputs, backend, attrs);
    const { engine, raw } = env;
    const dims = { cell, batch, steps, units, goBackwards };
    const L = recurrentWasm.enabled ? wasmLoop() : null;
    const wasm = L ? L.gateModule(engine, at, units, L.forwardFloats(dims, masked, recurrentBias)) : null;
    if (L && wasm) {
      const CWw = cacheWidth(cell) * units;
      const outs = [raw.alloc([batch, steps, units], 'float32')];
      if (cell === 'lstm') outs.push(raw.alloc([batch, steps, units], 'float32'));
      if (CWw > 0) outs.push(raw.alloc([batch, steps, CWw], 'float32'));
      const views = outs.map((o) => raw.view(o) as Float32Array);
      const v = (name: string) => raw.view(inputs[name]) as Float32Array;
      L.loopForward(
        engine, wasm, dims,
        { xw: v('xw'), u: v('u'), h0: v('h0'), c0: cell === 'lstm' ? v('c0') : null, rb: recurrentBias ? v('rb') : null, mask: masked ? v('mask') : null },
        { hs: views[0], cs: cell === 'lstm' ? views[1] : null, cache: CWw > 0 ? views[views.length - 1] : null },
      );
      return outs as unknown as TensorInfo;
    }
    const CW = cacheWidth(cell) * units;
    // allocate first: on wasm an allocation can move the heap and invalidate earlier views
    const hsInfo = raw.alloc([batch, steps, units], 'float32');
    const csInfo = cell === 'lstm' ? raw.alloc([batch, steps, units], 'float32') : null;
    const cacheInfo = CW > 0 ? raw.alloc([batch, steps, CW], 'float32') : null;
    const xw = raw.view(inputs.xw) as Float32Array;
    const U = Float32Array.from(raw.view(inputs.u) as Float32Array);
    const mask = masked ? (raw.view(inputs.mask) as Float32Array) : null;
    const rb = recurrentBias ? (raw.view(inputs.rb) as Float32Array) : null;
    const hs = raw.view(hsInfo) as Float32Array;
    const cs = csInfo ? (raw.view(csInfo) as Float32Array) : null;
    const cache = cacheInfo ? (raw.view(cacheInfo) as Float32Array) : null;
    const h = Float32Array.from(raw.view(inputs.h0) as Float32Array);
    const c = cell === 'lstm' ? Float32Array.from(raw.view(inputs.c0) as Float32Array) : null;
    const z = new Float32Array(batch * GH);
    const fa = FN[a];
    const fr = FN[ra];
    for (let s = 0; s < steps; s++) {
      const t = goBackwards ? steps - 1 - s : s;
      product(engine, h, batch, units, U, units, GH, z);
      for (let b = 0; b < batch; b++) {
        const keep = mask ? mask[b * steps + t] !== 0 : true;
        const zo = b * GH;
        const xo = (b * steps + t) * GH;
        const ho = b * units;
        const so = (b * steps + s) * units;
        const co = (b * steps + s) * CW;
        if (cell === 'lstm') {
          const u2 = 2 * units;
          const u3 = 3 * units;
          for (let j = 0; j < u2; j++) z[zo + j] = fr(z[zo + j] + xw[xo + j]);
          for (let j = u2; j < u3; j++) z[zo + j] = fa(z[zo + j] + xw[xo + j]);
          for (let j = u3; j < GH; j++) z[zo + j] = fr(z[zo + j] + xw[xo + j]);
          const cc = c as Float32Array;
          for (let j = 0; j < units; j++) {
            const i = z[zo + j];
            const f = z[zo + units + j];
            const g = z[zo + u2 + j];
            const o = z[zo + u3 + j];
            if (keep) {
              const cn = f * cc[ho + j] + i * g;
              cc[ho + j] = cn;
              h[ho + j] = o * fa(cn);
            }
            (cs as Float32Array)[so + j] = cc[ho + j];
            hs[so + j] = h[ho + j];
          }
          (cache as Float32Array).set(z.subarray(zo, zo + GH), co);
        } else if (cell === 'gru') {
          const ch = cache as Float32Array;
          for (let j = 0; j < units; j++) {
            const uz = z[zo + j] + (rb ? rb[j] : 0);
            const ur = z[zo + units + j] + (rb ? rb[units + j] : 0);
            const uh = z[zo + 2 * units + j] + (rb ? rb[2 * units + j] : 0);
            const zg = fr(xw[xo + j] + uz);
            const r = fr(xw[xo + units + j] + ur);
            const hh = fa(xw[xo + 2 * units + j] + r * uh);
            if (keep) h[ho + j] = hh + zg * (h[ho + j] - hh);
            hs[so + j] = h[ho + j];
            ch[co + j] = zg;
            ch[co + units + j] = r;
            ch[co + 2 * units + j] = hh;
            ch[co + 3 * units + j] = uh;
          }
        } else {
          for (let j = 0; j < units; j++) {
            if (keep) h[ho + j] = fa(xw[xo + j] + z[zo + j]);
            hs[so + j] = h[ho + j];
          }
        }
      }
    }
    const outs = [hsInfo];
    if (csInfo) outs.push(csInfo);
    if (cacheInfo) outs.push(cacheInfo);
    return outs as unknown as TensorInfo;
  };
}

/** Back through time. */
export function recurrentGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const env = setup(backendName, memory, inputs, backend);
    const at = attrs as RecurrentAttrs;
    const { cell, activation: a, recurrentActivation: ra, goBackwards, masked, recurrentBias } = at;
    const [batch, steps, units] = inputs.hs.shape;
    const G = gateCount(cell);
    const GH = G * units;
    const rows = batch * steps;
    if (!env || !env.engine.fits(rows * units, rows * GH, units, GH, rows)) return portableKernel(RECURRENT_GRAD)(inputs, backend, attrs);
    const { engine, raw } = env;
    const dims = { cell, batch, steps, units, goBackwards };
    const L = recurrentWasm.enabled ? wasmLoop() : null;
    const wasm = L ? L.gateModule(engine, at, units, L.backwardFloats(dims, masked)) : null;
    if (L && wasm) {
      const lstm = cell === 'lstm';
      const dxwI = raw.alloc([batch, steps, GH], 'float32');
      const duI = raw.alloc([units, GH], 'float32');
      const dh0I = raw.alloc([batch, units], 'float32');
      const dc0I = lstm ? raw.alloc([batch, units], 'float32') : null;
      const drbI = recurrentBias ? raw.alloc([GH], 'float32') : null;
      const o = (t: TensorInfo | null) => (t ? (raw.view(t) as Float32Array) : null);
      const v = (name: string) => raw.view(inputs[name]) as Float32Array;
      L.loopBackward(
        engine, wasm, dims,
        {
          dhs: v('dhs'), dcs: lstm ? v('dcs') : null, u: v('u'), h0: v('h0'), c0: lstm ? v('c0') : null, hs: v('hs'),
          cs: lstm ? v('cs') : null, cache: cacheWidth(cell) > 0 ? v('cache') : null, mask: masked ? v('mask') : null,
        },
        { dxw: o(dxwI) as Float32Array, du: o(duI) as Float32Array, dh0: o(dh0I) as Float32Array, dc0: o(dc0I), drb: o(drbI) },
      );
      const outs = [dxwI, duI, dh0I];
      if (dc0I) outs.push(dc0I);
      if (drbI) outs.push(drbI);
      return outs as unknown as TensorInfo;
    }
    const CW = cacheWidth(cell) * units;
    const dxwInfo = raw.alloc([batch, steps, GH], 'float32');
    const duInfo = raw.alloc([units, GH], 'float32');
    const dh0Info = raw.alloc([batch, units], 'float32');
    const dc0Info = cell === 'lstm' ? raw.alloc([batch, units], 'float32') : null;
    const drbInfo = recurrentBias ? raw.alloc([GH], 'float32') : null;
    const dhs = raw.view(inputs.dhs) as Float32Array;
    const dcs = cell === 'lstm' ? (raw.view(inputs.dcs) as Float32Array) : null;
    // Uᵀ once, so the per-step product dz·Uᵀ reads a plain row-major operand
    const Uv = raw.view(inputs.u) as Float32Array;
    const Ut = new Float32Array(units * GH);
    for (let r = 0; r < units; r++) for (let c = 0; c < GH; c++) Ut[c * units + r] = Uv[r * GH + c];
    const h0 = raw.view(inputs.h0) as Float32Array;
    const c0 = raw.view(inputs.c0) as Float32Array;
    const hs = raw.view(inputs.hs) as Float32Array;
    const cs = raw.view(inputs.cs) as Float32Array;
    const cache = CW > 0 ? (raw.view(inputs.cache) as Float32Array) : null;
    const mask = masked ? (raw.view(inputs.mask) as Float32Array) : null;
    const dxw = raw.view(dxwInfo) as Float32Array;
    // h_{s-1} of every step, at the row of the time it read, and (GRU) the gradient reaching h·U
    const hPrev = new Float32Array(rows * units);
    const dhuAll = cell === 'gru' ? new Float32Array(rows * GH) : dxw;
    const dh = new Float32Array(batch * units);
    const dc = new Float32Array(batch * units);
    const dhu = new Float32Array(batch * GH);
    const dhNext = new Float32Array(batch * units);
    const carry = new Float32Array(batch * units);
    const keepRow = new Uint8Array(batch);
    const fa = FN[a];
    const sa = SLOPE[a];
    const sr = SLOPE[ra];
    for (let s = steps - 1; s >= 0; s--) {
      const t = goBackwards ? steps - 1 - s : s;
      for (let b = 0; b < batch; b++) {
        const keep = mask ? mask[b * steps + t] !== 0 : true;
        keepRow[b] = keep ? 1 : 0;
        const ho = b * units;
        const so = (b * steps + s) * units;
        const po = (b * steps + s - 1) * units;
        const ro = (b * steps + t) * GH;
        const zo = b * GH;
        const prev = s > 0 ? hs.subarray(po, po + units) : h0.subarray(ho, ho + units);
        hPrev.set(prev, (b * steps + t) * units);
        if (!keep) {
          // a masked step hands its gradients on untouched
          for (let j = 0; j < units; j++) carry[ho + j] = dh[ho + j] + dhs[so + j];
          if (dcs) for (let j = 0; j < units; j++) dc[ho + j] += dcs[so + j];
          dhu.fill(0, zo, zo + GH);
          dxw.fill(0, ro, ro + GH);
          if (cell === 'gru') dhuAll.fill(0, ro, ro + GH);
          continue;
        }
        const co = (b * steps + s) * CW;
        if (cell === 'lstm') {
          const ch = cache as Float32Array;
          const cPrevArr = s > 0 ? cs : c0;
          const cpo = s > 0 ? po : ho;
          for (let j = 0; j < units; j++) {
            const i = ch[co + j];
            const f = ch[co + units + j];
            const g = ch[co + 2 * units + j];
            const o = ch[co + 3 * units + j];
            const dhIn = dh[ho + j] + dhs[so + j];
            const actC = fa(cs[so + j]);
            const dcAll = dc[ho + j] + (dcs as Float32Array)[so + j] + dhIn * o * sa(actC);
            dhu[zo + j] = dcAll * g * sr(i);
            dhu[zo + units + j] = dcAll * cPrevArr[cpo + j] * sr(f);
            dhu[zo + 2 * units + j] = dcAll * i * sa(g);
            dhu[zo + 3 * units + j] = dhIn * actC * sr(o);
            dc[ho + j] = dcAll * f;
            carry[ho + j] = 0;
          }
          dxw.set(dhu.subarray(zo, zo + GH), ro);
        } else if (cell === 'gru') {
          const ch = cache as Float32Array;
          for (let j = 0; j < units; j++) {
            const zg = ch[co + j];
            const r = ch[co + units + j];
            const hh = ch[co + 2 * units + j];
            const uh = ch[co + 3 * units + j];
            const dhIn = dh[ho + j] + dhs[so + j];
            const dah = dhIn * (1 - zg) * sa(hh);
            const daz = dhIn * (prev[j] - hh) * sr(zg);
            const dar = dah * uh * sr(r);
            dxw[ro + j] = daz;
            dxw[ro + units + j] = dar;
            dxw[ro + 2 * units + j] = dah;
            dhu[zo + j] = daz;
            dhu[zo + units + j] = dar;
            dhu[zo + 2 * units + j] = dah * r;
            carry[ho + j] = dhIn * zg;
          }
          dhuAll.set(dhu.subarray(zo, zo + GH), ro);
        } else {
          for (let j = 0; j < units; j++) {
            const d = (dh[ho + j] + dhs[so + j]) * sa(hs[so + j]);
            dhu[zo + j] = d;
            carry[ho + j] = 0;
          }
          dxw.set(dhu.subarray(zo, zo + GH), ro);
        }
      }
      product(engine, dhu, batch, GH, Ut, GH, units, dhNext);
      for (let b = 0; b < batch; b++) {
        const ho = b * units;
        if (keepRow[b]) for (let j = 0; j < units; j++) dh[ho + j] = dhNext[ho + j] + carry[ho + j];
        else dh.set(carry.subarray(ho, ho + units), ho);
      }
    }
    // Σ over steps of h_{s-1}ᵀ · (gradient reaching h·U), as one product
    const du = raw.view(duInfo) as Float32Array;
    matmulSliced(engine, { data: hPrev, rows, cols: units, transposed: true }, { data: dhuAll, rows, cols: GH, transposed: false }, du);
    (raw.view(dh0Info) as Float32Array).set(dh);
    if (dc0Info) (raw.view(dc0Info) as Float32Array).set(dc);
    if (drbInfo) {
      const drb = raw.view(drbInfo) as Float32Array;
      drb.fill(0);
      for (let r = 0; r < rows; r++) for (let j = 0; j < GH; j++) drb[j] += dhuAll[r * GH + j];
    }
    const outs = [dxwInfo, duInfo, dh0Info];
    if (dc0Info) outs.push(dc0Info);
    if (drbInfo) outs.push(drbInfo);
    return outs as unknown as TensorInfo;
  };
}
