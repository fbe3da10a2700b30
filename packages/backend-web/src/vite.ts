// For apps bundled by Vite: importing the binaries with `?url` makes Vite emit them as assets
// of the app and hand back their URLs, so the wasm backend loads with no network and no CDN.
// Usage: `useWebBackend({ wasmPaths })`. Other bundlers: see the README.
import plain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { WasmBinaryName } from './wasm';

/** The URLs Vite gave the three wasm binaries, ready for `useWebBackend({ wasmPaths })`. */
export const wasmPaths: Record<WasmBinaryName, string> = {
  'tfjs-backend-wasm.wasm': plain,
  'tfjs-backend-wasm-simd.wasm': simd,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedSimd,
};
