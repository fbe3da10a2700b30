// Convolution on the GEMM engine, for backends whose tensor memory JavaScript can reach:
//   forward:        patches · W_g            (im2col, then bias and relu fused in the GEMM)
//   input gradient: col2im(dy_g · W_gᵀ)
//   filter grad.:   Σ over row blocks of patchesᵀ · dy_g   (accumulated in the engine)
// one group at a time, over blocks of output cells so the patch matrix stays a few MB whatever
// the batch. x (or dx) is copied into the engine's memory once, where the engine's WebAssembly
// im2col/col2im (patch-module.ts) build and fold the patch rows on every thread. Depthwise convolutions (one input channel per group) are direct loops instead
// (depthwise.ts): a GEMM per channel would be all overhead.
import type { KernelBackend, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import { portableKernel, CONV, CONV_BACKPROP_INPUT, CONV_BACKPROP_FILTER, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess, type RawAccess } from './raw-data';
import { state } from './state';
import type { GemmEngine } from './gemm-engine';
import { convShape, type ConvShape } from './conv-shape';
import { depthwiseForward, depthwiseBackpropInput, depthwiseBackpropFilter } from './depthwise';
import { applyActivation } from './activation-loops';

/** Floats of patch matrix per block (16 MB): big enough for both threads, small enough to stay in cache levels that matter. */
const BLOCK_FLOATS = 1 << 22;

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

interface Geometry {
  strides: number[];
  dilations: number[];
  pads: number[];
  groups: number;
}

/** Rows of output cells per block for a patch row of `k` floats (a multiple of 4). */
function blockRows(k: number, M: number): number {
  return Math.max(4, Math.min(roundUp(M, 4), Math.floor(BLOCK_FLOATS / Math.max(k, 1) / 4) * 4));
}

/** Runs `body` when fast kernels can serve these inputs, else the kernel's portable body. */
function fastOr(
  kernelName: string,
  backendName: string,
  memory: BackendMemory,
  body: (engine: GemmEngine, raw: RawAccess, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap, backend: KernelBackend) => TensorInfo,
): PortableKernel {
  return (inputs, backend, attrs) => {
    const engine = state().engine;
    const raw = engine && rawAccess(backend, memory, backendName);
    if (!raw || !engine || !Object.values(inputs).every((t) => t.dtype === 'float32')) return portableKernel(kernelName)(inputs, backend, attrs);
    return body(engine, raw, inputs, attrs, backend);
  };
}

const isDepthwise = (s: ConvShape) => s.groups > 1 && s.cg === 1;

/** The patch functions' parameters for group `grp`: x at float offset `xAt`, rows at `dstAt` with stride `ld`. */
export function patchParams(s: ConvShape, grp: number, xAt: number, dstAt: number, ld: number, mBase: number) {
  return {
    x: xAt, dst: dstAt, ld, mBase, D: s.D, H: s.H, W: s.W, C: s.C, KD: s.KD, KH: s.KH, KW: s.KW, cg: s.cg, c0: grp * s.cg,
    OD: s.OD, OH: s.OH, OW: s.OW, sd: s.sd, sh: s.sh, sw: s.sw, dd: s.dd, dh: s.dh, dw: s.dw, pd: s.pd, ph: s.ph, pw: s.pw,
  };
}

/** The forward convolution (+ bias, fused activation). */
export function convBody(backendName: string, memory: BackendMemory): PortableKernel {
  return fastOr(CONV, backendName, memory, (engine, raw, inputs, attrs) => {
    const { x, filter, bias } = inputs;
    const g = attrs as unknown as Geometry;
    const s = convShape(x.shape, filter.shape, g.strides, g.dilations, g.pads, g.groups);
    const activation = attrs.activation as string;
    const alpha = attrs.leakyreluAlpha as number;
    // allocate first: on wasm an allocation can move the heap and invalidate earlier views
    const out = raw.alloc([s.N, s.OD, s.OH, s.OW, s.O], 'float32');
    const y = raw.view(out) as Float32Array;
    const xv = raw.view(x) as Float32Array;
    const w = raw.view(filter) as Float32Array;
    const b = bias ? (raw.view(bias) as Float32Array) : null;
    if (isDepthwise(s)) {
      depthwiseForward(xv, w, b, s, y);
      if (activation !== 'linear') applyActivation(y, activation, alpha);
      return out;
    }
    const { K, M, og, O } = s;
    const Np = roundUp(og, 8);
    const rows = blockRows(K, M);
    const xOff = engine.scratchBase(); // above the regions training plans hold
    const bOff = roundUp(xOff + xv.length, 4);
    const biasOff = bOff + K * Np;
    const aOff = biasOff + Np;
    const cOff = roundUp(aOff + (rows + 4) * K, 4);
    const f = engine.scratch(cOff + (rows + 4) * Np);
    f.set(xv, xOff);
    const fusedRelu = activation === 'relu';
    const perImage = s.OD * s.OH * s.OW;
    for (let grp = 0; grp < s.groups; grp++) {
      // B = this group's filter columns, padded to a multiple of 8 columns
      f.fill(0, bOff, aOff);
      for (let k = 0; k < K; k++) for (let o = 0; o < og; o++) f[bOff + k * Np + o] = w[k * O + grp * og + o];
      if (b) for (let o = 0; o < og; o++) f[biasOff + o] = b[grp * og + o];
      for (let m0 = 0; m0 < M; m0 += rows) {
        const m1 = Math.min(M, m0 + rows);
        engine.patches(patchParams(s, grp, xOff, aOff, K, m0), m0, m1, false, perImage);
        engine.gemm({ a: aOff, lda: K, aTransposed: false, b: bOff, ldb: Np, c: cOff, ldc: Np, m: m1 - m0, n: Np, k: K, bias: b ? biasOff : 0, relu: fusedRelu });
        if (Np === O) {
          y.set(f.subarray(cOff, cOff + (m1 - m0) * O), m0 * O);
        } else {
          for (let m = m0; m < m1; m++) {
            const src = cOff + (m - m0) * Np;
            const dst = m * O + grp * og;
            for (let o = 0; o < og; o++) y[dst + o] = f[src + o];
          }
        }
      }
    }
    if (activation !== 'linear' && !fusedRelu) applyActivation(y, activation, alpha);
    return out;
  });
}

/** dx from dy and the filter (also the forward pass of a transposed convolution). */
export function convBackpropInputBody(backendName: string, memory: BackendMemory): PortableKernel {
  return fastOr(CONV_BACKPROP_INPUT, backendName, memory, (engine, raw, inputs, attrs) => {
    const { dy, filter } = inputs;
    const g = attrs as unknown as Geometry;
    const inputShape = attrs.inputShape as number[];
    const s = convShape(inputShape, filter.shape, g.strides, g.dilations, g.pads, g.groups);
    const out = raw.alloc(inputShape, 'float32');
    const dx = raw.view(out) as Float32Array;
    const d = raw.view(dy) as Float32Array;
    const w = raw.view(filter) as Float32Array;
    if (isDepthwise(s)) {
      dx.fill(0);
      depthwiseBackpropInput(d, w, s, dx);
      return out;
    }
    const { K, M, og, O } = s;
    const Kp = roundUp(K, 8);
    const rows = blockRows(Kp, M);
    const dxOff = engine.scratchBase();
    const bOff = roundUp(dxOff + dx.length, 4);
    const aOff = bOff + og * Kp;
    const cOff = roundUp(aOff + (rows + 4) * og, 4);
    const f = engine.scratch(cOff + (rows + 4) * Kp);
    f.fill(0, dxOff, dxOff + dx.length);
    const perImage = s.OD * s.OH * s.OW;
    for (let grp = 0; grp < s.groups; grp++) {
      // B = W_gᵀ [og, Kp]
      f.fill(0, bOff, aOff);
      for (let k = 0; k < K; k++) for (let o = 0; o < og; o++) f[bOff + o * Kp + k] = w[k * O + grp * og + o];
      for (let m0 = 0; m0 < M; m0 += rows) {
        const m1 = Math.min(M, m0 + rows);
        // A = this group's channels of dy for the block's rows
        if (og === O) {
          f.set(d.subarray(m0 * O, m1 * O), aOff);
        } else {
          for (let m = m0; m < m1; m++) {
            const src = m * O + grp * og;
            const dst = aOff + (m - m0) * og;
            for (let o = 0; o < og; o++) f[dst + o] = d[src + o];
          }
        }
        engine.gemm({ a: aOff, lda: og, aTransposed: false, b: bOff, ldb: Kp, c: cOff, ldc: Kp, m: m1 - m0, n: Kp, k: og });
        engine.patches(patchParams(s, grp, dxOff, cOff, Kp, m0), m0, m1, true, perImage);
      }
    }
    dx.set(f.subarray(dxOff, dxOff + dx.length));
    return out;
  });
}

/** dfilter from x and dy, summed over every output cell. */
export function convBackpropFilterBody(backendName: string, memory: BackendMemory): PortableKernel {
  return fastOr(CONV_BACKPROP_FILTER, backendName, memory, (engine, raw, inputs, attrs) => {
    const { x, dy } = inputs;
    const g = attrs as unknown as Geometry;
    const filterShape = attrs.filterShape as number[];
    const s = convShape(x.shape, filterShape, g.strides, g.dilations, g.pads, g.groups);
    const out = raw.alloc(filterShape, 'float32');
    const dw = raw.view(out) as Float32Array;
    const xv = raw.view(x) as Float32Array;
    const d = raw.view(dy) as Float32Array;
    if (isDepthwise(s)) {
      dw.fill(0);
      depthwiseBackpropFilter(xv, d, s, dw);
      return out;
    }
    const { K, M, og, O } = s;
    const Np = roundUp(og, 8);
    const rows = blockRows(Math.max(K, Np), M);
    const xOff = engine.scratchBase(); // above the regions training plans hold
    const cOff = roundUp(xOff + xv.length, 4);
    const aOff = roundUp(cOff + (K + 4) * Np, 4);
    const bOff = roundUp(aOff + (rows + 1) * K + 4, 4);
    const spare = roundUp(bOff + rows * Np, 4);
    const f = engine.scratch(spare + engine.splitKSpare(K, Np));
    f.set(xv, xOff);
    const perImage = s.OD * s.OH * s.OW;
    for (let grp = 0; grp < s.groups; grp++) {
      for (let m0 = 0; m0 < M; m0 += rows) {
        const m1 = Math.min(M, m0 + rows);
        engine.patches(patchParams(s, grp, xOff, aOff, K, m0), m0, m1, false, perImage);
        // B = this group's channels of dy, padded to Np columns
        if (Np === O) {
          f.set(d.subarray(m0 * O, m1 * O), bOff);
        } else {
          for (let m = m0; m < m1; m++) {
            const src = m * O + grp * og;
            const dst = bOff + (m - m0) * Np;
            for (let o = 0; o < og; o++) f[dst + o] = d[src + o];
            f.fill(0, dst + og, dst + Np);
          }
        }
        // C [K, Np] += patchesᵀ · dy: few rows (K), a long k (the block's output cells): threads split k
        engine.gemmSplitK({ a: aOff, lda: K, aTransposed: true, b: bOff, ldb: Np, c: cOff, ldc: Np, m: K, n: Np, k: m1 - m0, accumulate: m0 > 0 }, spare);
      }
      for (let k = 0; k < K; k++) for (let o = 0; o < og; o++) dw[k * O + grp * og + o] = f[cOff + k * Np + o];
    }
    return out;
  });
}
