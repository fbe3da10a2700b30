// For apps bundled by Vite: the wasm backend's binaries as assets of the app, ready for
// `useWebBackend({ wasmPaths })` (re-exported from @neurona/backend-web/vite).
export { wasmPaths } from '@neurona/backend-web/vite';
