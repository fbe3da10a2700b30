// Max and average pooling in one pass over channels-last memory, and their gradients in one
// more: for each output cell, the window's cells, all channels at once. The max pool gradient
// goes to the first cell of the window holding the maximum (tfjs's choice), found again from x
// and the saved output instead of being kept from the forward pass: on the GEMM engine's SIMD
// loops (onepass-module.ts) when it runs, else in JavaScript without branching on it.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { portableKernel, POOL, POOL_GRAD, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';
import { state } from './state';
import type { GemmEngine } from './gemm-engine';
import { POOL_PARAMS } from './onepass-module';

/** A pooling window over channels-last memory `[N, H, W, C]` → `[N, OH, OW, C]`, padding before. */
export interface PoolWindow {
  N: number; H: number; W: number; C: number; OH: number; OW: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
}
type Window = PoolWindow;

function windowOf(xShape: number[], yShape: number[], poolSize: number[], strides: number[], padding: string): Window {
  const [N, H, W, C] = xShape;
  const [, OH, OW] = yShape;
  const [kh, kw] = poolSize;
  const [sh, sw] = strides;
  // TensorFlow's 'same': the odd cell of padding after
  const before = (n: number, o: number, k: number, s: number) => (padding === 'same' ? Math.floor(Math.max((o - 1) * s + k - n, 0) / 2) : 0);
  return { N, H, W, C, OH, OW, kh, kw, sh, sw, ph: before(H, OH, kh, sh), pw: before(W, OW, kw, sw) };
}

const outLen = (n: number, k: number, s: number, padding: string) => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);

/** y = max or mean over each window, channels innermost (plain loops: this runs once per batch). */
export function poolForward(xv: Float32Array, y: Float32Array, w: Window, max: boolean): void {
  const { N, H, W, C, OH, OW, kh, kw, sh, sw, ph, pw } = w;
  let yo = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * sh - ph;
      const h0 = hs < 0 ? 0 : hs;
      const h1 = hs + kh > H ? H : hs + kh;
      for (let ow = 0; ow < OW; ow++, yo += C) {
        const ws = ow * sw - pw;
        const w0 = ws < 0 ? 0 : ws;
        const w1 = ws + kw > W ? W : ws + kw;
        let first = true;
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const xo = ((n * H + ih) * W + iw) * C;
            if (first) {
              for (let c = 0; c < C; c++) y[yo + c] = xv[xo + c];
              first = false;
            } else if (max) {
              for (let c = 0; c < C; c++) {
                const v = xv[xo + c];
                if (v > y[yo + c]) y[yo + c] = v;
              }
            } else {
              for (let c = 0; c < C; c++) y[yo + c] += xv[xo + c];
            }
          }
        }
        if (!max) {
          const inv = 1 / ((h1 - h0) * (w1 - w0));
          for (let c = 0; c < C; c++) y[yo + c] *= inv;
        }
      }
    }
  }
}

/**
 * Max pooling's gradient: each channel's g to the first cell of its window equal to the maximum,
 * without a branch per cell (the comparison's outcome is data: a branch on it mispredicts on
 * most windows; this ran 2–4× faster on a conv layer's 26×26×32 maps). Per cell, `hit` is all
 * ones where x = y and no earlier cell took the gradient; g's bits masked by it are added to dx
 * (+0 elsewhere, so the values are the branchy loop's exactly), or written when windows never
 * overlap (dx starts at zero).
 */
export function maxPoolBackward(g: Float32Array, xv: Float32Array, yv: Float32Array, dx: Float32Array, w: Window): void {
  const { N, H, W, C, OH, OW, kh, kw, sh, sw, ph, pw } = w;
  const gi = new Int32Array(g.buffer, g.byteOffset, g.length);
  const taken = new Int32Array(C);
  const part = new Float32Array(C);
  const parti = new Int32Array(part.buffer);
  // windows that never overlap write dx's cells once: g's masked bits straight into them
  const once = sh >= kh && sw >= kw;
  const dxi = new Int32Array(dx.buffer, dx.byteOffset, dx.length);
  let yo = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * sh - ph;
      const h0 = hs < 0 ? 0 : hs;
      const h1 = hs + kh > H ? H : hs + kh;
      for (let ow = 0; ow < OW; ow++, yo += C) {
        const ws = ow * sw - pw;
        const w0 = ws < 0 ? 0 : ws;
        const w1 = ws + kw > W ? W : ws + kw;
        taken.fill(0);
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const xo = ((n * H + ih) * W + iw) * C;
            if (once) {
              for (let c = 0; c < C; c++) {
                const hit = -+(xv[xo + c] === yv[yo + c]) & ~taken[c];
                taken[c] |= hit;
                dxi[xo + c] = gi[yo + c] & hit;
              }
            } else {
              for (let c = 0; c < C; c++) {
                const hit = -+(xv[xo + c] === yv[yo + c]) & ~taken[c];
                taken[c] |= hit;
                parti[c] = gi[yo + c] & hit;
                dx[xo + c] += part[c];
              }
            }
          }
        }
      }
    }
  }
}

/** Average pooling's gradient: spread over each window's real cells. */
export function avgPoolBackward(g: Float32Array, dx: Float32Array, w: Window): void {
  const { N, H, W, C, OH, OW, kh, kw, sh, sw, ph, pw } = w;
  let yo = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const hs = oh * sh - ph;
      const h0 = hs < 0 ? 0 : hs;
      const h1 = hs + kh > H ? H : hs + kh;
      for (let ow = 0; ow < OW; ow++, yo += C) {
        const ws = ow * sw - pw;
        const w0 = ws < 0 ? 0 : ws;
        const w1 = ws + kw > W ? W : ws + kw;
        const inv = 1 / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++) {
          for (let iw = w0; iw < w1; iw++) {
            const xo = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) dx[xo + c] += g[yo + c] * inv;
          }
        }
      }
    }
  }
}

const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/** The engine when max pooling can run as its SIMD loop: max mode, channels a multiple of 4. */
function simdEngine(w: Window, max: boolean): GemmEngine | null {
  const engine = state().engine;
  return engine && max && w.C % 4 === 0 ? engine : null;
}

/** The SIMD loop's parameters (byte addresses from float offsets). */
function poolParams(w: Window, at: { x: number; y: number; g: number; dx: number }): number[] {
  const p: Record<(typeof POOL_PARAMS)[number], number> = { ...w, x: at.x * 4, y: at.y * 4, g: at.g * 4, dx: at.dx * 4 };
  return POOL_PARAMS.map((k) => p[k]);
}

/**
 * Max pooling on the engine: x copied into its memory, the SIMD loop over the output cells on
 * every thread, y copied out. Same values as `poolForward` (pmax is its `if (v > m) m = v`).
 */
function maxPoolOnEngine(engine: GemmEngine, xv: Float32Array, y: Float32Array, w: Window): void {
  const xOff = roundUp4(engine.scratchBase());
  const yOff = roundUp4(xOff + xv.length);
  const f = engine.scratch(yOff + y.length + 4);
  f.set(xv, xOff);
  maxPoolAt(engine, w, xOff, yOff);
  y.set(engine.heap().subarray(yOff, yOff + y.length));
}

/**
 * Max pooling in place on the engine's memory (float offsets; C a multiple of 4): the SIMD loop
 * over the output cells on every thread. The copy-in kernels and compiled plans share it.
 */
export function maxPoolAt(engine: GemmEngine, w: PoolWindow, xOff: number, yOff: number): void {
  const cells = w.N * w.OH * w.OW;
  engine.onePass('max_pool', poolParams(w, { x: xOff, y: yOff, g: 0, dx: 0 }), 0, cells, 64, w.N * w.H * w.W * w.C);
}

/**
 * Max pooling's gradient in place on the engine's memory (float offsets; C a multiple of 4): dx
 * (written whole, no need to zero it) from g, x and y, split over the threads by whole images.
 */
export function maxPoolGradAt(engine: GemmEngine, w: PoolWindow, at: { x: number; y: number; g: number; dx: number }): void {
  const perImage = w.OH * w.OW;
  engine.onePass('max_pool_grad', poolParams(w, at), 0, w.N * perImage, perImage, 2 * w.N * w.H * w.W * w.C);
}

/** Its gradient on the engine, split over the threads by whole images (windows never cross them). */
function maxPoolGradOnEngine(engine: GemmEngine, g: Float32Array, xv: Float32Array, yv: Float32Array, dx: Float32Array, w: Window): void {
  const xOff = roundUp4(engine.scratchBase());
  const yOff = roundUp4(xOff + xv.length);
  const gOff = roundUp4(yOff + yv.length);
  const dxOff = roundUp4(gOff + g.length);
  const f = engine.scratch(dxOff + dx.length + 4);
  f.set(xv, xOff);
  f.set(yv, yOff);
  f.set(g, gOff);
  maxPoolGradAt(engine, w, { x: xOff, y: yOff, g: gOff, dx: dxOff });
  dx.set(engine.heap().subarray(dxOff, dxOff + dx.length));
}

/** The one-pass body of POOL (max or average). */
export function poolBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const raw = rawAccess(backend, memory, backendName);
    const { x } = inputs;
    if (!raw || x.dtype !== 'float32') return portableKernel(POOL)(inputs, backend, attrs);
    const poolSize = attrs.poolSize as number[];
    const strides = attrs.strides as number[];
    const padding = attrs.padding as string;
    const [N, H, W, C] = x.shape;
    const yShape = [N, outLen(H, poolSize[0], strides[0], padding), outLen(W, poolSize[1], strides[1], padding), C];
    const out = raw.alloc(yShape, 'float32');
    const win = windowOf(x.shape, yShape, poolSize, strides, padding);
    const max = attrs.mode === 'max';
    const engine = simdEngine(win, max);
    if (engine) maxPoolOnEngine(engine, raw.view(x) as Float32Array, raw.view(out) as Float32Array, win);
    else poolForward(raw.view(x) as Float32Array, raw.view(out) as Float32Array, win, max);
    return out;
  };
}

/** The one-pass body of POOL_GRAD. */
export function poolGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const raw = rawAccess(backend, memory, backendName);
    const { dy, x, y } = inputs;
    if (!raw || ![dy, x, y].every((t: TensorInfo) => t.dtype === 'float32')) return portableKernel(POOL_GRAD)(inputs, backend, attrs);
    const win = windowOf(x.shape, y.shape, attrs.poolSize as number[], attrs.strides as number[], attrs.padding as string);
    const out = raw.alloc(x.shape, 'float32');
    const dx = raw.view(out) as Float32Array;
    const max = attrs.mode === 'max';
    const engine = simdEngine(win, max);
    if (engine) {
      maxPoolGradOnEngine(engine, raw.view(dy) as Float32Array, raw.view(x) as Float32Array, raw.view(y) as Float32Array, dx, win);
      return out;
    }
    dx.fill(0);
    if (max) maxPoolBackward(raw.view(dy) as Float32Array, raw.view(x) as Float32Array, raw.view(y) as Float32Array, dx, win);
    else avgPoolBackward(raw.view(dy) as Float32Array, dx, win);
    return out;
  };
}
