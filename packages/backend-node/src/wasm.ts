import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import * as tfc from '@tensorflow/tfjs-core';
import type { BackendProvider } from '@neurona/tensor';
import { resolveOptional } from './resolve';

const SIMD_FILE = 'tfjs-backend-wasm-simd.wasm';

/** The directory holding the installed `.wasm` binaries of @tensorflow/tfjs-backend-wasm. */
export function wasmBinaryDir(): string {
  const main = resolveOptional('@tensorflow/tfjs-backend-wasm');
  if (!main) throw new Error('@tensorflow/tfjs-backend-wasm is not installed');
  const dir = dirname(main);
  if (!existsSync(join(dir, SIMD_FILE))) throw new Error(`${SIMD_FILE} not found in ${dir}`);
  return dir;
}

/**
 * The WebAssembly backend (XNNPACK, SIMD). Threads stay off: tfjs hard-codes them off in Node.
 * The binaries are loaded from the installed package directory by absolute path, so this also
 * works when the program itself is bundled (where the emscripten glue's own lookup breaks).
 */
export const wasmProvider: BackendProvider = {
  name: 'wasm',
  kind: 'cpu',
  capabilities: { memory: 'wasm-heap', syncRead: true, gpu: false },
  load: async () => {
    const dir = wasmBinaryDir();
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!tfc.findBackend('wasm')) wasm.setWasmPaths(dir + sep);
    const simd = await tfc.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tfc.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    return { simd, threads, wasmDir: dir };
  },
};
