// neurona in the browser (package.json "exports", `browser` condition): the same API as Node's
// build, with @neurona/backend-web (WebGPU, WebGL, wasm, cpu; each loaded only when chosen) in
// place of @neurona/backend-node. `neurona/vite` gives the wasm binaries' URLs to Vite apps.
export * from './common';

// ---- backend ----------------------------------------------------------------------------------
export * as backend from '@neurona/backend-web';
export { useWebBackend, BackendSelectionError } from '@neurona/backend-web';
export type { UseWebBackendOptions, BackendChoice } from '@neurona/backend-web';
