// Fast bodies for the small per-step kernels of a training loop on cpu and wasm: one pass over
// raw memory in JS instead of a chain of 5–10 tfjs kernels, each with its own dispatch cost
// (about 5–20 µs per kernel on this machine, which is most of a small model's step).
// Each falls back to the kernel's portable body when the probe turned raw access off or an
// operand is not float32.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import {
  portableKernel,
  SOFTMAX_CE,
  SOFTMAX_CE_GRAD,
  ACTIVATION_GRAD,
  BIAS_GRAD,
  type BackendMemory,
  type PortableKernel,
} from '@neurona/tensor/kernel-api';
import { rawAccess, type RawAccess } from './raw-data';
import { state } from './state';
import type { GemmEngine } from './gemm-engine';

/** Below this many floats the JavaScript loops win (no copies, no thread wake-up). */
const ENGINE_MIN_FLOATS = 1 << 14;
const roundUp4 = (n: number) => Math.ceil(n / 4) * 4;

/**
 * out = v > 0 ? g : 0 without a branch: g's bits masked by the comparison (+0 where it fails, NaN
 * v included), the same values as the branchy loop, which mispredicts on half of a relu layer's
 * cells (measured 2–3× slower on a conv layer's 2.8 M floats).
 */
function reluGradMasked(g: Float32Array, v: Float32Array, out: Float32Array): void {
  const gi = new Int32Array(g.buffer, g.byteOffset, g.length);
  const oi = new Int32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < oi.length; i++) oi[i] = gi[i] & -+(v[i] > 0);
}

/**
 * relu's derivative on the engine's SIMD loop (dy and y copied in, the result out): the loop
 * `v > 0 ? g : 0` mispredicts its branch on half of a relu layer's cells. False when the engine
 * is off or the tensors are small.
 */
function reluGradOnEngine(g: Float32Array, v: Float32Array, out: Float32Array): boolean {
  const engine = state().engine;
  const n = out.length;
  if (!engine || n < ENGINE_MIN_FLOATS) return false;
  const gOff = roundUp4(engine.scratchBase());
  const yOff = roundUp4(gOff + n);
  const oOff = roundUp4(yOff + n);
  const f = engine.scratch(oOff + n + 4);
  f.set(g, gOff);
  f.set(v, yOff);
  reluGradAt(engine, gOff, yOff, oOff, n);
  out.set(engine.heap().subarray(oOff, oOff + n));
  return true;
}

/**
 * `out = y > 0 ? g : 0` for `n` floats in place on the engine's memory (float offsets, multiples
 * of 4; `out` may be `g`): the copy-in kernel's SIMD loop, for compiled plans.
 */
export function reluGradAt(engine: GemmEngine, g: number, y: number, out: number, n: number): void {
  engine.onePass('relu_grad', [g * 4, y * 4, out * 4], 0, Math.ceil(n / 4), 1024, 3 * n);
}

/** Rows per block of the engine's column sums: summed in float32, the blocks' sums in float64. */
const SUM_BLOCK_ROWS = 64;

/** Column sums on the engine (cols a multiple of 4), into acc (float64). False when it does not apply. */
function columnSumsOnEngine(g: Float32Array, rows: number, cols: number, acc: Float64Array): boolean {
  const engine = state().engine;
  if (!engine || cols % 4 !== 0 || rows * cols < ENGINE_MIN_FLOATS) return false;
  const blocks = Math.ceil(rows / SUM_BLOCK_ROWS);
  const src = roundUp4(engine.scratchBase());
  const dst = roundUp4(src + g.length);
  engine.scratch(dst + blocks * cols + 4).set(g, src);
  columnSumsAt(engine, src, rows, cols, dst, acc);
  return true;
}

/** Blocks of the engine's column sums for `rows` rows: the floats `columnSumsAt` needs at `dst`. */
export function columnSumsSpace(rows: number, cols: number): number {
  return Math.ceil(rows / SUM_BLOCK_ROWS) * cols + 4;
}

/**
 * Column sums of `rows × cols` floats at `src` (contiguous rows, cols a multiple of 4, float
 * offsets of the engine's memory) added into `acc` (float64): each block of rows summed in
 * float32 on the SIMD loop into `dst` (`columnSumsSpace` floats), the blocks in float64.
 */
export function columnSumsAt(engine: GemmEngine, src: number, rows: number, cols: number, dst: number, acc: Float64Array): void {
  const blocks = Math.ceil(rows / SUM_BLOCK_ROWS);
  engine.onePass('col_sums', [src * 4, dst * 4, rows, cols, SUM_BLOCK_ROWS], 0, blocks, 16, rows * cols);
  const h = engine.heap();
  for (let b = 0, o = dst; b < blocks; b++, o += cols) for (let c = 0; c < cols; c++) acc[c] += h[o + c];
}

/** Wraps a one-pass body: it runs when raw access works and every input is float32 (else the portable body). */
export function onePass(kernelName: string, backendName: string, memory: BackendMemory, body: (raw: RawAccess, ...args: Parameters<PortableKernel>) => TensorInfo): PortableKernel {
  return (inputs, backend, attrs) => {
    const raw = rawAccess(backend, memory, backendName);
    if (!raw || !Object.values(inputs).every((t) => t.dtype === 'float32')) return portableKernel(kernelName)(inputs, backend, attrs);
    return body(raw, inputs, backend, attrs);
  };
}

/** softmax cross-entropy forward: per-row loss and the softmax probabilities. */
export function softmaxCrossEntropyBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(SOFTMAX_CE, backendName, memory, (raw, inputs) => {
    const { labels, logits } = inputs;
    const [rows, cols] = logits.shape;
    const lossInfo = raw.alloc([rows], 'float32');
    const probsInfo = raw.alloc([rows, cols], 'float32');
    const z = raw.view(logits);
    const y = raw.view(labels);
    const loss = raw.view(lossInfo);
    const p = raw.view(probsInfo);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let m = -Infinity;
      for (let c = 0; c < cols; c++) if (z[o + c] > m) m = z[o + c];
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const e = Math.exp(z[o + c] - m);
        p[o + c] = e;
        s += e;
      }
      const lse = Math.log(s);
      let l = 0;
      for (let c = 0; c < cols; c++) {
        p[o + c] /= s;
        const yc = y[o + c];
        if (yc !== 0) l -= yc * (z[o + c] - m - lse);
      }
      loss[r] = l;
    }
    return [lossInfo, probsInfo] as unknown as TensorInfo;
  });
}

/** Its gradient with respect to the logits: dy[r] · (p · Σy − y). */
export function softmaxCrossEntropyGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(SOFTMAX_CE_GRAD, backendName, memory, (raw, inputs) => {
    const { dy, probs, labels } = inputs;
    const [rows, cols] = probs.shape;
    const outInfo = raw.alloc([rows, cols], 'float32');
    const g = raw.view(dy);
    const p = raw.view(probs);
    const y = raw.view(labels);
    const out = raw.view(outInfo);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      let sy = 0;
      for (let c = 0; c < cols; c++) sy += y[o + c];
      const d = g[r];
      for (let c = 0; c < cols; c++) out[o + c] = d * (p[o + c] * sy - y[o + c]);
    }
    return outInfo;
  });
}

/** dy · f'(x) from the activation's output y, for the activations `dense` fuses. */
export function activationGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(ACTIVATION_GRAD, backendName, memory, (raw, inputs, _backend, attrs) => {
    const { dy, y } = inputs;
    const outInfo = raw.alloc(dy.shape, 'float32');
    const g = raw.view(dy);
    const v = raw.view(y);
    const out = raw.view(outInfo);
    const n = out.length;
    const alpha = attrs.leakyreluAlpha as number;
    switch (attrs.activation as string) {
      case 'relu':
        if (g instanceof Float32Array && v instanceof Float32Array && out instanceof Float32Array) {
          // the engine's SIMD loop when it runs and the tensor is large, else the branchless loop
          if (!reluGradOnEngine(g, v, out)) reluGradMasked(g, v, out);
        } else for (let i = 0; i < n; i++) out[i] = v[i] > 0 ? g[i] : 0;
        break;
      case 'leakyrelu':
        for (let i = 0; i < n; i++) out[i] = v[i] > 0 ? g[i] : g[i] * alpha;
        break;
      case 'relu6':
        for (let i = 0; i < n; i++) out[i] = v[i] > 0 && v[i] < 6 ? g[i] : 0;
        break;
      case 'elu':
        for (let i = 0; i < n; i++) out[i] = v[i] > 0 ? g[i] : g[i] * (v[i] + 1);
        break;
      case 'sigmoid':
        for (let i = 0; i < n; i++) out[i] = g[i] * v[i] * (1 - v[i]);
        break;
      default:
        out.set(g);
    }
    return outInfo;
  });
}

/** Column sums of dz [rows, cols] (a bias gradient) in one pass over the rows. */
export function biasGradBody(backendName: string, memory: BackendMemory): PortableKernel {
  return onePass(BIAS_GRAD, backendName, memory, (raw, inputs) => {
    const { dz } = inputs;
    const [rows, cols] = dz.shape;
    const outInfo = raw.alloc([cols], 'float32');
    const g = raw.view(dz);
    // accumulate in float64: a convolution sums tens of thousands of rows
    const acc = new Float64Array(cols);
    if (!(g instanceof Float32Array && columnSumsOnEngine(g, rows, cols, acc))) {
      for (let r = 0, o = 0; r < rows; r++, o += cols) for (let c = 0; c < cols; c++) acc[c] += g[o + c];
    }
    (raw.view(outInfo) as Float32Array).set(acc);
    return outInfo;
  });
}
