// `dense` and `matMulT` on the GEMM engine: operands read in place from the backend's memory
// (transposed where the op says so), the product written straight into the output tensor.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { portableKernel, DENSE, MATMUL_T, type BackendMemory, type PortableKernel } from '@neurona/tensor/kernel-api';
import { rawAccess } from './raw-data';
import { state } from './state';
import { matmulSliced } from './gemm-chunked';

function isF32(...xs: (TensorInfo | undefined)[]): boolean {
  return xs.every((x) => !x || x.dtype === 'float32');
}

/** The GEMM body of `dense` (linear or relu; other activations use the portable body). */
export function denseBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const { x, kernel, bias } = inputs;
    const activation = attrs.activation as string;
    const engine = state().engine;
    const raw = engine && rawAccess(backend, memory, backendName);
    if (!raw || !engine || (activation !== 'linear' && activation !== 'relu') || !isF32(x, kernel, bias)) {
      return portableKernel(DENSE)(inputs, backend, attrs);
    }
    const [M, K] = x.shape;
    const N = kernel.shape[1];
    if (!engine.fits(M * K, K * N, M, N, K)) return portableKernel(DENSE)(inputs, backend, attrs);
    // allocate first: on wasm an allocation can move the heap and invalidate earlier views
    const out = raw.alloc([M, N], 'float32');
    engine.matmul(
      { data: raw.view(x) as Float32Array, rows: M, cols: K, transposed: false },
      { data: raw.view(kernel) as Float32Array, rows: K, cols: N, transposed: false },
      raw.view(out) as Float32Array,
      bias ? (raw.view(bias) as Float32Array) : null,
      activation === 'relu',
    );
    return out;
  };
}

/** The GEMM body of `matMulT`, reading transposed operands in place. */
export function matMulTBody(backendName: string, memory: BackendMemory): PortableKernel {
  return (inputs, backend, attrs) => {
    const { a, b } = inputs;
    const engine = state().engine;
    const raw = engine && rawAccess(backend, memory, backendName);
    if (!raw || !engine || !isF32(a, b)) return portableKernel(MATMUL_T)(inputs, backend, attrs);
    const tA = attrs.transposeA as boolean;
    const tB = attrs.transposeB as boolean;
    const M = tA ? a.shape[1] : a.shape[0];
    const N = tB ? b.shape[0] : b.shape[1];
    const K = tA ? a.shape[0] : a.shape[1];
    if (!engine.fits(a.shape[0] * a.shape[1], b.shape[0] * b.shape[1], M, N, K)) return portableKernel(MATMUL_T)(inputs, backend, attrs);
    const out = raw.alloc([M, N], 'float32');
    // a weight gradient xᵀ·dz over many rows is cut along K (gemm-chunked.ts)
    matmulSliced(
      engine,
      { data: raw.view(a) as Float32Array, rows: a.shape[0], cols: a.shape[1], transposed: tA },
      { data: raw.view(b) as Float32Array, rows: b.shape[0], cols: b.shape[1], transposed: tB },
      raw.view(out) as Float32Array,
    );
    return out;
  };
}
