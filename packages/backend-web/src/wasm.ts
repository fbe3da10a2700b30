import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProvider } from '@neurona/tensor';

/** The three binaries tfjs-backend-wasm may load (plain, SIMD, SIMD + threads). */
export type WasmBinaryName = 'tfjs-backend-wasm.wasm' | 'tfjs-backend-wasm-simd.wasm' | 'tfjs-backend-wasm-threaded-simd.wasm';

/**
 * Where the `.wasm` binaries are served from: a directory URL ending in `/`, or one URL per
 * binary (what a bundler gives for imported assets, see `@neurona/backend-web/vite`).
 */
export type WasmPaths = string | Record<WasmBinaryName, string>;

const state: { paths?: WasmPaths } = {};

/**
 * Tell the wasm backend where its binaries are, before it starts. Bundled pages need this: the
 * binaries are not JavaScript, so a bundler does not emit them unless the app imports them.
 */
export function setWasmPaths(paths: WasmPaths): void {
  if (typeof paths !== 'string') {
    const missing = (['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'] as const).filter((k) => !paths[k]);
    if (missing.length) throw new Error(`setWasmPaths: no URL for ${missing.join(', ')}`);
  }
  state.paths = paths;
}

/** The WebAssembly backend (XNNPACK; SIMD, and threads when the page is cross-origin isolated). */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  kind: 'cpu',
  capabilities: { memory: 'wasm-heap', syncRead: true, gpu: false },
  load: async () => {
    // every wasm kernel, unless the page's bundler swapped in only those it uses (vite-plugin);
    // @neurona/kernels (gatherRows by row copy, the fast kernels) only with this backend or cpu
    const [wasm] = await Promise.all([import('@neurona/backend-web/wasm-kernels'), import('@neurona/kernels')]);
    if (state.paths && !tfc.findBackend('wasm')) wasm.setWasmPaths(state.paths);
    const simd = await tfc.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tfc.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return { simd, threads, paths: state.paths ?? 'next to the script (no wasmPaths given)' };
  },
};

/** Why a wasm start may have failed, added to its reason when no paths were given. */
export function wasmHint(): string {
  return state.paths ? '' : ' (no wasmPaths given: pass useWebBackend({ wasmPaths }), see @neurona/backend-web/vite)';
}
