import * as tfc from '@tensorflow/tfjs-core';
import { selectBackend, formatChoice } from '@neurona/backend-core';
import { useFastKernels, fastKernelsSupported } from '@neurona/kernels';
import { enableRelaxedSimd, relaxedSimdWanted } from './relaxed-simd';
import type { BackendChoice } from './types';
import { nodeCandidates } from './node-candidates';

/** Options of `useNodeBackend`. */
export interface UseNodeBackendOptions {
  /**
   * Use exactly this backend (`'tfjs-node-gpu' | 'webgpu' | 'tfjs-node' | 'wasm' | 'cpu'`) or
   * throw with the reason it cannot start. Wins over the NEURONA_BACKEND variable.
   */
  force?: string;
  /** Try this backend first (software WebGPU adapters included), then the usual order. */
  prefer?: string;
  /** Do not print the one-line summary. */
  silent?: boolean;
  /** Where the summary goes (default `console.log`). */
  log?: (line: string) => void;
  /**
   * When the chosen backend's memory is reachable from JavaScript (cpu, wasm), run neurona's own
   * multi-threaded SIMD kernels for the hot ops (`useFastKernels` of @neurona/kernels).
   * Default true; `NEURONA_FAST_KERNELS=0` also turns it off.
   */
  fastKernels?: boolean;
  /**
   * Let the fast kernels' GEMM use fused multiply-adds (WebAssembly relaxed SIMD, about +25 %
   * GFLOP/s). Default true: on Node 20/21, where V8 has the feature staged, this turns on its
   * flag `--experimental-wasm-relaxed-simd` (Node 22+ has it by default). False, or
   * `NEURONA_RELAXED_SIMD=0`, keeps a multiply then an add (sums then differ in their last bits).
   */
  relaxedSimd?: boolean;
  /**
   * WebGPU: let tfjs run ops on tiny tensors on the CPU instead of the GPU (tfjs's
   * `WEBGPU_CPU_FORWARD`, default true). False keeps every op on the GPU, as tests of
   * GPU-only paths (no synchronous reads) need.
   */
  cpuForward?: boolean;
}

/**
 * Pick, start and register the best backend for this Node process:
 * tfjs-node-gpu, then WebGPU through Dawn on a hardware adapter, tfjs-node, wasm (SIMD), cpu.
 * `NEURONA_BACKEND=<name>` (or `force`) takes exactly that one; a forced backend that cannot
 * start throws, it never falls back. Logs one line saying what was chosen and why the earlier
 * ones were skipped.
 *
 * ```ts
 * const { chosen, tried } = await useNodeBackend();   // e.g. 'wasm' on a machine without a GPU
 * ```
 */
export async function useNodeBackend(options: UseNodeBackendOptions = {}): Promise<BackendChoice> {
  // tfjs prints an "install tfjs-node" banner on first use of a JS backend unless PROD is set
  tfc.env().set('PROD', true);
  const fromEnv = process.env.NEURONA_BACKEND?.trim() || undefined;
  const force = options.force ?? fromEnv;
  const forcedBy = options.force ? 'the force option' : `NEURONA_BACKEND=${fromEnv}`;
  const choice = await selectBackend(nodeCandidates(), { force, forcedBy, prefer: options.prefer });
  if (options.cpuForward !== undefined && choice.chosen === 'webgpu') tfc.env().set('WEBGPU_CPU_FORWARD', options.cpuForward);
  const fast = options.fastKernels ?? process.env.NEURONA_FAST_KERNELS?.trim() !== '0';
  // Decided on what the chosen backend declares; without them the plain tfjs cpu kernels are
  // slower than tfjs-layers (bench/README.md).
  const on = fast && fastKernelsSupported(choice.info.capabilities);
  // the flag goes on before the kernels compile their module (only where it is wanted and needed)
  const fma = on && relaxedSimdWanted(options.relaxedSimd, process.env.NEURONA_RELAXED_SIMD) && enableRelaxedSimd();
  const status = useFastKernels(on ? { enabled: true, fma } : false);
  const fastNote = status.enabled ? ` | fast kernels on ${status.threads} thread${status.threads === 1 ? '' : 's'}${status.fma ? ', FMA' : ''}` : '';
  if (!options.silent) (options.log ?? console.log)(formatChoice(choice) + fastNote);
  return choice;
}
