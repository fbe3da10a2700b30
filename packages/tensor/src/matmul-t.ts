// Matrix product with transposed operands, spelled out as explicit transposes. tfjs 4.22's wasm
// backend runs `matMul` with transposeA/transposeB about 8× slower than `transpose` + plain
// `matMul` (docs/perf.md), and its cpu backend gains nothing from the flags either. The fast
// kernels of @neurona/kernels replace this body with one that reads the operands transposed in place.
import * as tfc from '@tensorflow/tfjs-core';
import type { Tensor, Tensor2D, NamedAttrMap } from '@tensorflow/tfjs-core';
import { defineKernel, runNeuronaKernel, callBackendKernel, disposeIntermediate } from './kernel-util';

/** tfjs kernel name of `matMulT`. */
export const MATMUL_T = 'NeuronaMatMulT';

interface MatMulTAttrs extends NamedAttrMap {
  transposeA: boolean;
  transposeB: boolean;
}

defineKernel(MATMUL_T, (inputs, backend, attrs) => {
  const { transposeA, transposeB } = attrs as MatMulTAttrs;
  const a = transposeA ? callBackendKernel('Transpose', backend, { x: inputs.a }, { perm: [1, 0] }) : inputs.a;
  const b = transposeB ? callBackendKernel('Transpose', backend, { x: inputs.b }, { perm: [1, 0] }) : inputs.b;
  const out = callBackendKernel('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
  if (transposeA) disposeIntermediate(backend, a);
  if (transposeB) disposeIntermediate(backend, b);
  return out;
});

tfc.registerGradient({
  kernelName: MATMUL_T,
  inputsToSave: ['a', 'b'],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const c = dy as Tensor;
    const { transposeA: tA, transposeB: tB } = attrs as MatMulTAttrs;
    // C = op(A)·op(B); each case keeps the products flag-free for the slow-flag backends.
    if (!tA && !tB) return { a: () => matMulT(c, b, false, true), b: () => matMulT(a, c, true, false) };
    if (!tA && tB) return { a: () => matMulT(c, b, false, false), b: () => matMulT(c, a, true, false) };
    if (tA && !tB) return { a: () => matMulT(b, c, false, true), b: () => matMulT(a, c, false, false) };
    return { a: () => matMulT(b, c, true, true), b: () => matMulT(c, a, true, true) };
  },
});

/**
 * `op(a) · op(b)` for 2-D tensors, where `op` transposes when its flag is set:
 * `matMulT(x, dy, true, false)` is `xᵀ·dy`. Differentiable.
 */
export function matMulT(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor2D {
  if (a.rank !== 2 || b.rank !== 2) throw new Error(`matMulT expects 2-D tensors, got ranks ${a.rank} and ${b.rank}`);
  const inner = transposeA ? a.shape[0] : a.shape[1];
  const innerB = transposeB ? b.shape[1] : b.shape[0];
  if (inner !== innerB) {
    throw new Error(`matMulT: inner dimensions differ: [${a.shape}]${transposeA ? 'ᵀ' : ''} · [${b.shape}]${transposeB ? 'ᵀ' : ''}`);
  }
  return runNeuronaKernel(MATMUL_T, { a, b }, { transposeA, transposeB }) as Tensor2D;
}
