import * as tfc from '@tensorflow/tfjs-core';
import { selectBackend, formatChoice } from '@neurona/backend-core';
import type { BackendChoice } from './types';
import { webCandidates } from './web-candidates';
import { setWasmPaths, type WasmPaths } from './wasm';

/** Options of `useWebBackend`. */
export interface UseWebBackendOptions {
  /** Use exactly this backend (`'webgpu' | 'webgl' | 'wasm' | 'cpu'`) or throw why it cannot start. */
  force?: string;
  /** Try this backend first (software GPUs included), then the usual order. */
  prefer?: string;
  /** Where the wasm binaries are served from; needed in bundled pages (see `@neurona/backend-web/vite`). */
  wasmPaths?: WasmPaths;
  /** Do not print the one-line summary. */
  silent?: boolean;
  /** Where the summary goes (default `console.log`). */
  log?: (line: string) => void;
  /**
   * When the chosen backend's memory is reachable from JavaScript (wasm, cpu), run neurona's fast
   * kernels for the hot ops (`useFastKernels` of @neurona/kernels), so that `fit` can train on a
   * compiled plan. In a browser they run on the page's thread (one thread: the GEMM engine's worker
   * threads are Node's). Default false: the tfjs kernels, as before.
   */
  fastKernels?: boolean;
}

/** What `useWebBackend` started: the choice, and the fast kernels when it turned them on. */
export interface WebBackendChoice extends BackendChoice {
  /** Set when `fastKernels` turned neurona's fast kernels on for the chosen backend. */
  fastKernels?: { threads: number; fma: boolean };
}

/**
 * Pick, start and register the best backend in this browser: WebGPU, WebGL, WebAssembly, CPU.
 * GPUs that are software renderers (SwiftShader, llvmpipe) are skipped unless forced or
 * preferred, since wasm beats them. A forced backend that cannot start throws, never falls back.
 *
 * ```ts
 * import { useWebBackend } from '@neurona/backend-web';
 * import { wasmPaths } from '@neurona/backend-web/vite';
 * const { chosen, tried } = await useWebBackend({ wasmPaths });
 * ```
 */
export async function useWebBackend(options: UseWebBackendOptions = {}): Promise<WebBackendChoice> {
  if (options.fastKernels !== undefined && typeof options.fastKernels !== 'boolean') throw new Error(`useWebBackend: fastKernels must be true or false, got ${JSON.stringify(options.fastKernels)}`);
  tfc.env().set('PROD', true);
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  const choice: WebBackendChoice = await selectBackend(webCandidates(), { force: options.force, forcedBy: 'the force option', prefer: options.prefer });
  // only backends whose memory JavaScript reaches; their providers have loaded @neurona/kernels
  // already (a WebGPU or WebGL visit never imports it)
  if (options.fastKernels && hostMemory(choice.info.capabilities.memory)) {
    const { useFastKernels } = await import('@neurona/kernels');
    const status = useFastKernels({ enabled: true });
    choice.fastKernels = { threads: status.threads, fma: status.fma ?? false };
  }
  const fast = choice.fastKernels;
  const note = fast ? ` | fast kernels on ${fast.threads} thread${fast.threads === 1 ? '' : 's'}${fast.fma ? ', FMA' : ''}` : '';
  if (!options.silent) (options.log ?? console.log)(formatChoice(choice) + note);
  return choice;
}

/** Whether a backend's memory is JavaScript's (the fast kernels read and write it in place). */
const hostMemory = (memory: string): boolean => memory === 'host' || memory === 'wasm-heap';
