// Switching neurona's fast kernels on and off. They replace the bodies of neurona's own kernels
// (DENSE, MATMUL_T and the three convolution kernels on the GEMM engine; SOFTMAX_CE,
// SOFTMAX_CE_GRAD, ACTIVATION_GRAD, POOL, POOL_GRAD in one pass; BatchNormalization's training
// forward and backward in two; the recurrent time loop on both)
// and three tfjs built-ins whose stock bodies are the bottleneck (the wasm-heap backend's copying
// Identity, the host backend's Add/Sub/Multiply), for every backend that declares 'host' or
// 'wasm-heap' memory, registered now or later. Turning them off restores all of it.
import * as tfc from '@tensorflow/tfjs-core';
import { getBackendInfo, type BackendCapabilities } from '@neurona/tensor';
import {
  setKernelOverride,
  DENSE,
  MATMUL_T,
  SOFTMAX_CE,
  SOFTMAX_CE_GRAD,
  ACTIVATION_GRAD,
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  EMBEDDING_GRAD,
  RECURRENT,
  RECURRENT_GRAD,
  CONV,
  CONV_BACKPROP_INPUT,
  CONV_BACKPROP_FILTER,
  POOL,
  POOL_GRAD,
  BIAS_GRAD,
  type BackendMemory,
  type PortableKernel,
} from '@neurona/tensor/kernel-api';
import { GemmEngine, type EngineStats } from './gemm-engine';
import { denseBody, matMulTBody } from './gemm-kernels';
import { batchNormTrainBody, batchNormTrainGradBody } from './batch-norm-kernels';
import { embeddingGradBody } from './embedding-kernels';
import { recurrentBody, recurrentGradBody } from './recurrent-kernels';
import { softmaxCrossEntropyBody, softmaxCrossEntropyGradBody, activationGradBody, biasGradBody } from './small-kernels';
import { convBody, convBackpropInputBody, convBackpropFilterBody } from './conv-kernels';
import { poolBody, poolGradBody } from './pool-kernels';
import { sharedIdentity } from './shared-identity';
import { CPU_ELEMENTWISE } from './cpu-elementwise';
import { overrideBuiltin, restoreBuiltins, replacedBuiltins } from './builtin-overrides';
import { rawAccess } from './raw-data';
import { state, isRawMemory } from './state';
import { relaxedSimdSupported } from './relaxed-simd';

/** What `useFastKernels` turned on. */
export interface FastKernelsStatus {
  enabled: boolean;
  /** Threads the GEMM uses (1 outside Node or on a single core). */
  threads: number;
  /**
   * Whether the GEMM uses fused multiply-adds (WebAssembly relaxed SIMD's `f32x4.relaxed_madd`):
   * false on engines without relaxed SIMD, or when turned off with `fma: false`.
   */
  fma?: boolean;
  /** Of those, the threads started and taking work now (workers start a few ms after `useFastKernels`). */
  threadsReady?: number;
  /** The registered backends that get the fast bodies: those declaring 'host' or 'wasm-heap' memory. */
  backends: string[];
  /** neurona kernels with fast bodies. */
  kernels: string[];
  /** tfjs built-in kernels replaced now, as `backend/kernel` (e.g. `wasm/Identity`, `cpu/Add`). */
  builtins: string[];
  /** The GEMM threads' hand-offs so far (jobs posted, taken back, wake-ups, time waited): a copy, for profiles. */
  handOffs?: EngineStats;
}

/** The options of `useFastKernels`. */
export interface FastKernelsOptions {
  /** Default true. */
  enabled?: boolean;
  /** Threads of the GEMM engine; default the machine's cores. */
  threads?: number;
  /**
   * Fused multiply-adds in the GEMM (WebAssembly relaxed SIMD): default wherever the runtime has
   * relaxed SIMD (`relaxedSimdSupported()`); `false` keeps a multiply then an add (the last bits
   * of sums differ: a fused multiply-add rounds once); `true` throws where relaxed SIMD is absent.
   */
  fma?: boolean;
}

const FAST: Record<string, (backendName: string, memory: BackendMemory) => PortableKernel> = {
  [DENSE]: denseBody,
  [MATMUL_T]: matMulTBody,
  [SOFTMAX_CE]: softmaxCrossEntropyBody,
  [SOFTMAX_CE_GRAD]: softmaxCrossEntropyGradBody,
  [ACTIVATION_GRAD]: activationGradBody,
  [BATCH_NORM_TRAIN]: batchNormTrainBody,
  [BATCH_NORM_TRAIN_GRAD]: batchNormTrainGradBody,
  [EMBEDDING_GRAD]: embeddingGradBody,
  [RECURRENT]: recurrentBody,
  [RECURRENT_GRAD]: recurrentGradBody,
  [CONV]: convBody,
  [CONV_BACKPROP_INPUT]: convBackpropInputBody,
  [CONV_BACKPROP_FILTER]: convBackpropFilterBody,
  [POOL]: poolBody,
  [POOL_GRAD]: poolGradBody,
  [BIAS_GRAD]: biasGradBody,
};

/** Whether fast kernels can run on a backend with these capabilities (its memory is 'host' or 'wasm-heap'). */
export function fastKernelsSupported(capabilities: BackendCapabilities): boolean {
  return isRawMemory(capabilities.memory);
}

/** Give one backend the fast bodies, or take them away, as the switch and its memory say. */
export function applyFastKernels(backendName: string, memory: BackendMemory): void {
  const on = state().enabled && isRawMemory(memory);
  for (const [kernel, make] of Object.entries(FAST)) setKernelOverride(kernel, backendName, on ? make(backendName, memory) : null);
  if (!on) {
    restoreBuiltins(backendName);
    return;
  }
  // the built-ins exist once the backend's tfjs package is loaded: applied again when it starts
  if (memory === 'wasm-heap') overrideBuiltin('Identity', backendName, sharedIdentity);
  if (memory === 'host') for (const [name, make] of Object.entries(CPU_ELEMENTWISE)) overrideBuiltin(name, backendName, make);
}

function fastBackends(): string[] {
  return [...state().backends].filter(([, memory]) => isRawMemory(memory)).map(([name]) => name);
}

/**
 * Turn neurona's fast kernels on (default) or off for every backend that declares 'host' or
 * 'wasm-heap' memory (tfjs cpu and wasm), registered now or later; never chosen by name.
 * `useFastKernels()` → `{ enabled: true, threads: 2, backends: ['cpu', 'wasm'], ... }`.
 * The same products in float32 (summed in another order); `threads` defaults to the machine's
 * cores. `useNodeBackend` of @neurona/backend-node calls it.
 */
export function useFastKernels(options: boolean | FastKernelsOptions = true): FastKernelsStatus {
  const o = typeof options === 'boolean' ? { enabled: options } : options;
  if (typeof o !== 'object' || o === null) throw new Error(`useFastKernels: expects a boolean or { enabled?, threads?, fma? }, got ${o === null ? 'null' : typeof o}`);
  const enabled = o.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new Error(`useFastKernels: enabled must be a boolean, got ${typeof enabled}`);
  if (o.threads !== undefined && !(Number.isInteger(o.threads) && o.threads >= 1)) {
    throw new Error(`useFastKernels: threads must be an integer >= 1, got ${String(o.threads)}`);
  }
  if (o.fma !== undefined && typeof o.fma !== 'boolean') throw new Error(`useFastKernels: fma must be a boolean, got ${typeof o.fma}`);
  if (enabled && typeof WebAssembly === 'undefined') throw new Error('useFastKernels: this runtime has no WebAssembly');
  if (enabled && o.fma === true && !relaxedSimdSupported()) {
    throw new Error('useFastKernels: fma: true needs WebAssembly relaxed SIMD, which this runtime lacks (Node 20/21: --experimental-wasm-relaxed-simd, which @neurona/backend-node sets); leave fma unset to use it where present');
  }
  const s = state();
  const rebuild = !s.engine || (o.threads !== undefined && o.threads !== s.engine.threads) || (o.fma !== undefined && o.fma !== s.engine.fma);
  if (enabled && rebuild) {
    const threads = o.threads ?? s.engine?.threads;
    void s.engine?.dispose();
    s.engine = new GemmEngine(threads, o.fma ?? relaxedSimdSupported());
  }
  s.enabled = enabled;
  for (const [name, memory] of s.backends) applyFastKernels(name, memory);
  if (!enabled) restoreBuiltins();
  return fastKernelsStatus();
}

/** Whether fast kernels are on, with how many threads, and for which backends. */
export function fastKernelsStatus(): FastKernelsStatus {
  const s = state();
  if (!s.enabled) return { enabled: false, threads: 0, threadsReady: 0, backends: [], kernels: [], builtins: [] };
  return {
    enabled: true,
    threads: s.engine?.threads ?? 1,
    fma: s.engine?.fma ?? false,
    threadsReady: s.engine?.readyThreads() ?? 1,
    backends: fastBackends(),
    kernels: Object.keys(FAST),
    builtins: replacedBuiltins(),
    ...(s.engine ? { handOffs: { ...s.engine.stats } } : {}),
  };
}

/**
 * Whether the current backend runs the fast bodies now: they are on, the backend declared 'host'
 * or 'wasm-heap' memory, and the probe found that memory where this tfjs version keeps it.
 */
export function fastKernelsActive(): boolean {
  if (!state().enabled) return false;
  const info = getBackendInfo();
  if (!isRawMemory(info.capabilities.memory) || !fastBackends().includes(info.name)) return false;
  return rawAccess(tfc.backend(), info.capabilities.memory, info.name) !== null;
}
