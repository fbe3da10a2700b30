import { env } from '@neurona/tensor';
import type { BackendChoice } from './types';
import { selectBackend, formatChoice } from './select';
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
  env().set('PROD', true);
  const fromEnv = process.env.NEURONA_BACKEND?.trim() || undefined;
  const force = options.force ?? fromEnv;
  const forcedBy = options.force ? 'the force option' : `NEURONA_BACKEND=${fromEnv}`;
  const choice = await selectBackend(nodeCandidates(), { force, forcedBy, prefer: options.prefer });
  if (!options.silent) (options.log ?? console.log)(formatChoice(choice));
  return choice;
}
