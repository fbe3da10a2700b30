// Opt-in fast kernels for the cpu and wasm backends: neurona's dense and matMulT run on its own
// multi-threaded SIMD GEMM (fast/gemm-engine.ts) instead of tfjs's kernels, and its small per-step
// kernels run in one pass. Neurona's own kernels change, plus a few tfjs built-ins whose stock
// bodies are the bottleneck: the wasm backend's Identity shares data instead of copying, the cpu
// backend's Add/Sub/Multiply run plain loops (fast/shared-identity.ts, fast/cpu-elementwise.ts);
// turning fast kernels off restores them.
import type { KernelBackend, TensorInfo, NamedAttrMap } from '@tensorflow/tfjs-core';
import { setKernelOverride, portableKernel, type PortableKernel } from './kernel-util';
import { rawAccess } from './raw-data';
import { GemmEngine } from './fast/gemm-engine';
import { DENSE } from './fused';
import { MATMUL_T } from './matmul-t';
import { ACTIVATION_GRAD } from './activation-grad';
import { SOFTMAX_CE, SOFTMAX_CE_GRAD } from './softmax-cross-entropy';
import { softmaxCrossEntropyBody, softmaxCrossEntropyGradBody, activationGradBody } from './fast/small-kernels';
import { setFastState, fastKernelsActive as active } from './fast-state';
import { sharedIdentity } from './fast/shared-identity';
import { CPU_ELEMENTWISE } from './fast/cpu-elementwise';
import { overrideBuiltin, restoreBuiltins } from './fast/builtin-overrides';

/** What `useFastKernels` turned on. */
export interface FastKernelsStatus {
  enabled: boolean;
  /** Threads the GEMM uses (1 outside Node or on a single core). */
  threads: number;
  /** Of those, the threads started and taking work now (workers start a few ms after `useFastKernels`). */
  threadsReady?: number;
  backends: string[];
  kernels: string[];
}

const BACKENDS = ['cpu', 'wasm'];
// The engine (memory and worker threads) is shared by every copy of this module in the process.
const ENGINE = Symbol.for('@neurona/tensor/gemm-engine');
const holder = ((globalThis as unknown as Record<symbol, { engine: GemmEngine | null } | undefined>)[ENGINE] ??= { engine: null });
let status: FastKernelsStatus = { enabled: false, threads: 0, backends: [], kernels: [] };

function isF32(...xs: (TensorInfo | undefined)[]): boolean {
  return xs.every((x) => !x || x.dtype === 'float32');
}

function denseKernel(backendName: string): PortableKernel {
  return (inputs, backend, attrs) => {
    const { x, kernel, bias } = inputs;
    const activation = attrs.activation as string;
    const raw = rawAccess(backend, backendName);
    const engine = holder.engine;
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

function matMulTKernel(backendName: string): PortableKernel {
  return (inputs: Record<string, TensorInfo>, backend: KernelBackend, attrs: NamedAttrMap) => {
    const { a, b } = inputs;
    const raw = rawAccess(backend, backendName);
    const engine = holder.engine;
    if (!raw || !engine || !isF32(a, b)) return portableKernel(MATMUL_T)(inputs, backend, attrs);
    const tA = attrs.transposeA as boolean;
    const tB = attrs.transposeB as boolean;
    const M = tA ? a.shape[1] : a.shape[0];
    const N = tB ? b.shape[0] : b.shape[1];
    const K = tA ? a.shape[0] : a.shape[1];
    if (!engine.fits(a.shape[0] * a.shape[1], b.shape[0] * b.shape[1], M, N, K)) return portableKernel(MATMUL_T)(inputs, backend, attrs);
    const out = raw.alloc([M, N], 'float32');
    engine.matmul(
      { data: raw.view(a) as Float32Array, rows: a.shape[0], cols: a.shape[1], transposed: tA },
      { data: raw.view(b) as Float32Array, rows: b.shape[0], cols: b.shape[1], transposed: tB },
      raw.view(out) as Float32Array,
    );
    return out;
  };
}

/**
 * Turn neurona's fast kernels on (default) or off for the cpu and wasm backends.
 * `useFastKernels()` → `{ enabled: true, threads: 2, ... }`. Numerically the same products
 * (float32, a different summation order); `threads` defaults to the machine's cores.
 */
export function useFastKernels(options: boolean | { enabled?: boolean; threads?: number } = true): FastKernelsStatus {
  const o = typeof options === 'boolean' ? { enabled: options } : options;
  const enabled = o.enabled ?? true;
  if (enabled && typeof WebAssembly === 'undefined') throw new Error('useFastKernels: this runtime has no WebAssembly');
  if (enabled && (!holder.engine || (o.threads !== undefined && o.threads !== holder.engine.threads))) {
    void holder.engine?.dispose();
    holder.engine = new GemmEngine(o.threads);
  }
  for (const be of BACKENDS) {
    setKernelOverride(DENSE, be, enabled ? denseKernel(be) : null);
    setKernelOverride(MATMUL_T, be, enabled ? matMulTKernel(be) : null);
    setKernelOverride(SOFTMAX_CE, be, enabled ? softmaxCrossEntropyBody(be) : null);
    setKernelOverride(SOFTMAX_CE_GRAD, be, enabled ? softmaxCrossEntropyGradBody(be) : null);
    setKernelOverride(ACTIVATION_GRAD, be, enabled ? activationGradBody(be) : null);
  }
  setFastState(enabled, enabled ? [...BACKENDS] : []);
  if (enabled) {
    overrideBuiltin('Identity', 'wasm', sharedIdentity);
    for (const [name, make] of Object.entries(CPU_ELEMENTWISE)) overrideBuiltin(name, 'cpu', make);
  } else {
    restoreBuiltins();
  }
  status = enabled
    ? { enabled, threads: holder.engine?.threads ?? 1, backends: [...BACKENDS], kernels: [DENSE, MATMUL_T, SOFTMAX_CE, SOFTMAX_CE_GRAD, ACTIVATION_GRAD] }
    : { enabled, threads: 0, backends: [], kernels: [] };
  return { ...status };
}

/** Whether fast kernels are on, and with how many threads. */
export function fastKernelsStatus(): FastKernelsStatus {
  const threadsReady = status.enabled ? (holder.engine?.readyThreads() ?? 1) : 0;
  return { ...status, threadsReady, backends: [...status.backends], kernels: [...status.kernels] };
}

/** Whether the current backend gets fast kernels now. */
export function fastKernelsActive(): boolean {
  return active();
}
