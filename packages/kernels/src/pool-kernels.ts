// Max and average pooling in one pass over channels-last memory, and their gradients in one
// more: for each output cell, the window's cells, all channels at once. The max pool gradient
// goes to the first cell of the window holding the maximum (tfjs's choice), found again from x
// and the saved output instead of being kept from the forward pass.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { portableKernel, POOL, POOL_GRAD, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';

interface Window {
  N: number; H: number; W: number; C: number; OH: number; OW: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
}

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

/** Calls `visit(p, h0, h1, w0, w1)` for every output cell p (in cells) with its clipped window. */
function forEachWindow(w: Window, visit: (p: number, n: number, h0: number, h1: number, w0: number, w1: number) => void): void {
  let p = 0;
  for (let n = 0; n < w.N; n++)
    for (let oh = 0; oh < w.OH; oh++) {
      const hs = oh * w.sh - w.ph;
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(hs + w.kh, w.H);
      for (let ow = 0; ow < w.OW; ow++, p++) {
        const ws = ow * w.sw - w.pw;
        visit(p, n, h0, h1, Math.max(ws, 0), Math.min(ws + w.kw, w.W));
      }
    }
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
    const y = raw.view(out) as Float32Array;
    const xv = raw.view(x) as Float32Array;
    const win = windowOf(x.shape, yShape, poolSize, strides, padding);
    const max = attrs.mode === 'max';
    forEachWindow(win, (p, n, h0, h1, w0, w1) => {
      const yo = p * C;
      y.fill(max ? -Infinity : 0, yo, yo + C);
      for (let ih = h0; ih < h1; ih++)
        for (let iw = w0; iw < w1; iw++) {
          const xo = ((n * H + ih) * W + iw) * C;
          if (max) for (let c = 0; c < C; c++) { const v = xv[xo + c]; if (v > y[yo + c]) y[yo + c] = v; }
          else for (let c = 0; c < C; c++) y[yo + c] += xv[xo + c];
        }
      if (!max) {
        const inv = 1 / ((h1 - h0) * (w1 - w0));
        for (let c = 0; c < C; c++) y[yo + c] *= inv;
      }
    });
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
    dx.fill(0);
    const g = raw.view(dy) as Float32Array;
    const xv = raw.view(x) as Float32Array;
    const yv = raw.view(y) as Float32Array;
    const { H, W, C } = win;
    const max = attrs.mode === 'max';
    forEachWindow(win, (p, n, h0, h1, w0, w1) => {
      const yo = p * C;
      if (max) {
        for (let c = 0; c < C; c++) {
          const target = yv[yo + c];
          search: for (let ih = h0; ih < h1; ih++)
            for (let iw = w0; iw < w1; iw++) {
              const i = ((n * H + ih) * W + iw) * C + c;
              if (xv[i] === target) {
                dx[i] += g[yo + c];
                break search;
              }
            }
        }
      } else {
        const inv = 1 / ((h1 - h0) * (w1 - w0));
        for (let ih = h0; ih < h1; ih++)
          for (let iw = w0; iw < w1; iw++) {
            const xo = ((n * H + ih) * W + iw) * C;
            for (let c = 0; c < C; c++) dx[xo + c] += g[yo + c] * inv;
          }
      }
    });
    return out;
  };
}
