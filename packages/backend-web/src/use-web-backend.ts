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
export async function useWebBackend(options: UseWebBackendOptions = {}): Promise<BackendChoice> {
  tfc.env().set('PROD', true);
  if (options.wasmPaths) setWasmPaths(options.wasmPaths);
  const choice = await selectBackend(webCandidates(), { force: options.force, forcedBy: 'the force option', prefer: options.prefer });
  if (!options.silent) (options.log ?? console.log)(formatChoice(choice));
  return choice;
}
