// Max and average pooling as neurona kernels, with their gradients. The portable bodies run the
// backend's MaxPool/AvgPool kernels; @neurona/kernels gives cpu and wasm one-pass bodies.
// 'same' padding follows TensorFlow: the odd cell after, and an average counts only the real
// cells of its window.
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, once, runNeuronaKernel, callBackendKernel, disposeIntermediate } from './kernel-util';
import { axisPadding, convOutputSize, spatialTuple } from './conv-geometry';

/** tfjs kernel name of pooling (max or average). */
export const POOL = 'NeuronaPool';
/** tfjs kernel name of pooling's input gradient. */
export const POOL_GRAD = 'NeuronaPoolGrad';

/** Options of `maxPooling` and `averagePooling`. */
export interface PoolOptions {
  /** Window size per spatial axis (one number for all). */
  poolSize: number | number[];
  /** Step per spatial axis; default the window size (Keras's `strides=None`). */
  strides?: number | number[] | null;
  /** `'valid'` (default) or `'same'`. */
  padding?: 'valid' | 'same';
}

interface PoolAttrs extends NamedAttrMap {
  mode: 'max' | 'avg';
  poolSize: number[];
  strides: number[];
  padding: 'valid' | 'same';
}

// The kernels pool two axes of x [N, H, W, C]. 1-D pooling is H = 1; 3-D pooling is two passes
// (H, W then D): max and average over a box are separable, and so is 'same' padding (per axis).
// That also keeps clear of tfjs 4.22's 3-D pooling gradients (MaxPool3DGrad misplaces the maxima
// of non-cubic windows).
/**
 * out[n, i·s + off, j·s + off', c] = v[n, i, j, c], zero elsewhere, cropped to [N, H, W, C]:
 * where one tap of every window sends its share of the gradient.
 */
function placeTap(
  k: (name: string, ins: Record<string, TensorInfo>, a?: NamedAttrMap) => TensorInfo,
  v: TensorInfo,
  size: number[],
  strides: number[],
  offsets: number[],
): TensorInfo {
  const [N, OH, OW, C] = v.shape;
  const [sh, sw] = strides;
  // zeros between the cells, one axis at a time (tfjs-webgpu compiles PadV2 up to rank 4)
  let up = v;
  if (sh > 1) {
    const padded = k('PadV2', { x: { ...up, shape: [N, OH, 1, OW * C] } }, { paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0]], constantValue: 0 });
    up = { ...padded, shape: [N, OH * sh, OW, C] };
  }
  if (sw > 1) {
    const padded = k('PadV2', { x: { ...up, shape: [N * OH * sh, OW, 1, C] } }, { paddings: [[0, 0], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0 });
    up = { ...padded, shape: [N, OH * sh, OW * sw, C] };
  }
  const lens = [OH * sh, OW * sw];
  const before = offsets.map((o) => Math.max(o, 0));
  const start = offsets.map((o) => Math.max(-o, 0));
  const after = [0, 1].map((i) => Math.max(0, start[i] + size[i] - before[i] - lens[i]));
  const shifted = k('PadV2', { x: up }, { paddings: [[0, 0], [before[0], after[0]], [before[1], after[1]], [0, 0]], constantValue: 0 });
  return k('Slice', { x: shifted }, { begin: [0, start[0], start[1], 0], size: [N, size[0], size[1], C] });
}

/** 1 / (real cells) of every window, shaped [1, OH, OW, 1] to scale dy. */
function inverseCells(backend: KernelBackend, inSize: number[], outSize: number[], poolSize: number[], strides: number[], padBefore: number[]): TensorInfo {
  const [OH, OW] = outSize;
  const counts = [0, 1].map((axis) =>
    Array.from({ length: outSize[axis] }, (_, o) => {
      const start = o * strides[axis] - padBefore[axis];
      return Math.min(start + poolSize[axis], inSize[axis]) - Math.max(start, 0);
    }),
  );
  const v = new Float32Array(OH * OW);
  for (let b = 0; b < OH; b++) for (let c = 0; c < OW; c++) v[b * OW + c] = 1 / (counts[0][b] * counts[1][c]);
  return { dataId: backend.write(v, [1, OH, OW, 1], 'float32'), shape: [1, OH, OW, 1], dtype: 'float32' };
}

/**
 * Defines the pooling kernels and the gradient, once, on first need: by the ops, or by
 * `@neurona/tensor/kernel-api` for the kernel packages that give them faster bodies. Until then
 * nothing refers to them, so a bundle without pooling leaves them out.
 */
export const definePoolKernels = /* @__PURE__ */ once(() => {
  defineKernel(POOL, (inputs, backend: KernelBackend, attrs) => {
    const { mode, poolSize, strides, padding } = attrs as PoolAttrs;
    return callBackendKernel(mode === 'max' ? 'MaxPool' : 'AvgPool', backend, { x: inputs.x }, { filterSize: poolSize, strides, pad: padding });
  });

  // The gradient is composed from kernels every backend gets right, rather than tfjs 4.22's
  // MaxPoolGrad and AvgPoolGrad: on wasm MaxPoolGrad misplaces gradients whenever the stride is
  // above 1, and AvgPoolGrad divides by the full window size where a 'same' window hangs over the
  // edge (the forward pass divides by its real cells). For each tap of the window, the share of dy
  // it receives (the maximum's indicator, first tap first, or 1/cells) is spread to the input
  // cells that tap read: upsampled by the stride, shifted and cropped to the input.
  defineKernel(POOL_GRAD, (inputs, backend: KernelBackend, attrs) => {
    const { mode, poolSize, strides, padding } = attrs as PoolAttrs;
    const { dy, x, y } = inputs;
    const [N, H, W, C] = x.shape;
    const [, OH, OW] = y.shape;
    const [kh, kw] = poolSize;
    const [sh, sw] = strides;
    const [ph] = padding === 'same' ? axisPadding('same', H, kh, sh, 1) : [0];
    const [pw] = padding === 'same' ? axisPadding('same', W, kw, sw, 1) : [0];
    const made: TensorInfo[] = [];
    const k = (name: string, ins: Record<string, TensorInfo> | TensorInfo[], a: NamedAttrMap = {}) => {
      const out = callBackendKernel(name, backend, ins as Record<string, TensorInfo>, a);
      made.push(out);
      return out;
    };
    let share: TensorInfo | null = null;
    let remaining: TensorInfo | null = null;
    let xpad: TensorInfo | null = null;
    if (mode === 'avg') {
      const inv = inverseCells(backend, [H, W], [OH, OW], poolSize, strides, [ph, pw]);
      made.push(inv);
      share = k('Multiply', { a: dy, b: inv });
    } else {
      remaining = k('OnesLike', { x: y });
      const after = [Math.max((OH - 1) * sh + kh - H - ph, 0), Math.max((OW - 1) * sw + kw - W - pw, 0)];
      xpad = k('PadV2', { x }, { paddings: [[0, 0], [ph, after[0]], [pw, after[1]], [0, 0]], constantValue: -Infinity });
    }
    const parts: TensorInfo[] = [];
    for (let th = 0; th < kh; th++) {
      for (let tw = 0; tw < kw; tw++) {
        let part: TensorInfo;
        if (xpad && remaining) {
          // the first tap holding the window's maximum takes its gradient
          const patch = k('StridedSlice', { x: xpad }, {
            begin: [0, th, tw, 0], end: [N, th + (OH - 1) * sh + 1, tw + (OW - 1) * sw + 1, C], strides: [1, sh, sw, 1],
            beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
          });
          const hit = k('Multiply', { a: k('Cast', { x: k('Equal', { a: patch, b: y }) }, { dtype: 'float32' }), b: remaining });
          remaining = k('Sub', { a: remaining, b: hit });
          part = k('Multiply', { a: dy, b: hit });
        } else {
          part = share as TensorInfo;
        }
        parts.push(placeTap(k, part, [H, W], [sh, sw], [th - ph, tw - pw]));
      }
    }
    const dx = parts.length === 1 ? parts[0] : k('AddN', parts);
    for (const t of made) if (t.dataId !== dx.dataId) disposeIntermediate(backend, t);
    return dx;
  });

  tfc.registerGradient({
    kernelName: POOL,
    inputsToSave: ['x'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, y] = saved;
      return { x: () => runNeuronaKernel(POOL_GRAD, { dy: dy as Tensor, x, y }, attrs) };
    },
  });
});

/** One kernel call: pool the two middle axes of a 4-D tensor. */
function pool2(x: Tensor, mode: 'max' | 'avg', poolSize: number[], strides: number[], padding: 'valid' | 'same'): Tensor {
  definePoolKernels();
  return runNeuronaKernel(POOL, { x }, { mode, poolSize, strides, padding });
}

const NAMES: Record<number, string> = { 1: 'steps', 2: 'height, width', 3: 'depth, height, width' };

function pool(op: string, mode: 'max' | 'avg', x: Tensor, options: PoolOptions): Tensor {
  const r = x.rank - 2;
  if (r < 1 || r > 3) throw new Error(`${op}: expects x [batch, ...spatial, channels] with 1 to 3 spatial axes, got [${x.shape.join(', ')}]`);
  if (typeof options !== 'object' || options === null) throw new Error(`${op}: expects options { poolSize, strides?, padding? }`);
  const poolSize = spatialTuple(op, 'poolSize', options.poolSize, r);
  const strides = spatialTuple(op, 'strides', options.strides ?? poolSize, r);
  const padding = options.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'same') throw new Error(`${op}: padding must be 'valid' or 'same', got ${JSON.stringify(padding)}`);
  const spatial = x.shape.slice(1, 1 + r);
  const out = spatial.map((n, i) => convOutputSize(padding, n, poolSize[i], strides[i], 1));
  out.forEach((n, i) => {
    if (n <= 0) throw new Error(`${op}: the pool window (${poolSize[i]}) is larger than the input [batch, ${NAMES[r]}, channels] ${`[${x.shape.join(', ')}]`} on axis ${i + 1}; use padding 'same' or a smaller window`);
  });
  const C = x.shape[r + 1];
  const N = x.shape[0];
  return tfc.tidy(() => {
    if (r === 1) return tfc.reshape(pool2(tfc.reshape(x, [N, 1, spatial[0], C]), mode, [1, poolSize[0]], [1, strides[0]], padding), [N, out[0], C]);
    if (r === 2) return pool2(x, mode, poolSize, strides, padding);
    const [D, H, W] = spatial;
    const hw = pool2(tfc.reshape(x, [N * D, H, W, C]), mode, poolSize.slice(1), strides.slice(1), padding);
    const d = pool2(tfc.reshape(hw, [N, D, out[1] * out[2], C]), mode, [poolSize[0], 1], [strides[0], 1], padding);
    return tfc.reshape(d, [N, ...out, C]);
  });
}

/**
 * Max pooling over 1, 2 or 3 spatial axes, channels last (x `[batch, ...spatial, channels]`):
 * `maxPooling(x, { poolSize: 2 })`. Keras's MaxPooling1D/2D/3D.
 */
export function maxPooling(x: Tensor, options: PoolOptions): Tensor {
  return pool('maxPooling', 'max', x, options);
}

/**
 * Average pooling over 1, 2 or 3 spatial axes, channels last; with `'same'` padding a window
 * averages only its real cells (TensorFlow's rule). Keras's AveragePooling1D/2D/3D.
 */
export function averagePooling(x: Tensor, options: PoolOptions): Tensor {
  return pool('averagePooling', 'avg', x, options);
}
