// Max and average pooling as neurona kernels, with their gradients. The portable bodies run the
// backend's MaxPool/AvgPool kernels; @neurona/kernels gives cpu and wasm one-pass bodies.
// 'same' padding follows TensorFlow: the odd cell after, and an average counts only the real
// cells of its window.
import * as tfc from '@tensorflow/tfjs-core';
import type { KernelBackend, NamedAttrMap, Tensor, TensorInfo } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel, disposeIntermediate } from './kernel-util';
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
// That also keeps clear of tfjs 4.22's MaxPool3DGrad, which misplaces the maxima of non-cubic
// windows.
defineKernel(POOL, (inputs, backend: KernelBackend, attrs) => {
  const { mode, poolSize, strides, padding } = attrs as PoolAttrs;
  return callBackendKernel(mode === 'max' ? 'MaxPool' : 'AvgPool', backend, { x: inputs.x }, { filterSize: poolSize, strides, pad: padding });
});

// tfjs 4.22's AvgPoolGrad divides by the full window size even where a 'same' window hangs over
// the edge (the forward pass divides by its real cells): dy is rescaled by size / real cells first.
defineKernel(POOL_GRAD, (inputs, backend: KernelBackend, attrs) => {
  const { mode, poolSize, strides, padding } = attrs as PoolAttrs;
  const { x, y } = inputs;
  const a = { filterSize: poolSize, strides, pad: padding };
  if (mode === 'max') return callBackendKernel('MaxPoolGrad', backend, { dy: inputs.dy, input: x, output: y }, a);
  if (padding === 'valid') return callBackendKernel('AvgPoolGrad', backend, { dy: inputs.dy, input: x }, a);
  const scale = realCellScale(backend, x.shape, y.shape, poolSize, strides);
  const dy = callBackendKernel('Multiply', backend, { a: inputs.dy, b: scale });
  const dx = callBackendKernel('AvgPoolGrad', backend, { dy, input: x }, a);
  disposeIntermediate(backend, scale);
  disposeIntermediate(backend, dy);
  return dx;
});

/** size / (real cells) of every 'same' window, shaped [1, OH, OW, 1] to scale dy. */
function realCellScale(backend: KernelBackend, xShape: number[], yShape: number[], poolSize: number[], strides: number[]): TensorInfo {
  const [, OH, OW] = yShape;
  const counts = [0, 1].map((axis) => {
    const n = xShape[axis + 1];
    const [before] = axisPadding('same', n, poolSize[axis], strides[axis], 1);
    return Array.from({ length: yShape[axis + 1] }, (_, o) => {
      const start = o * strides[axis] - before;
      return Math.min(start + poolSize[axis], n) - Math.max(start, 0);
    });
  });
  const v = new Float32Array(OH * OW);
  for (let b = 0; b < OH; b++) for (let c = 0; c < OW; c++) v[b * OW + c] = (poolSize[0] * poolSize[1]) / (counts[0][b] * counts[1][c]);
  return { dataId: backend.write(v, [1, OH, OW, 1], 'float32'), shape: [1, OH, OW, 1], dtype: 'float32' };
}

tfc.registerGradient({
  kernelName: POOL,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved;
    return { x: () => runNeuronaKernel(POOL_GRAD, { dy: dy as Tensor, x, y }, attrs) };
  },
});

/** One kernel call: pool the two middle axes of a 4-D tensor. */
function pool2(x: Tensor, mode: 'max' | 'avg', poolSize: number[], strides: number[], padding: 'valid' | 'same'): Tensor {
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
