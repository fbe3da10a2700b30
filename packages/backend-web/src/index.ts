import './register';

export { useWebBackend, type UseWebBackendOptions, type WebBackendChoice } from './use-web-backend';
export { WEB_BACKENDS, webCandidates, type WebBackendName } from './web-candidates';
export { selectBackend, formatChoice, BackendSelectionError } from '@neurona/backend-core';
export { setWasmPaths, wasmProvider, type WasmPaths, type WasmBinaryName } from './wasm';
export { webgpuProvider, webgpuAdapter } from './webgpu';
export { webglProvider, probeWebGL, type WebGLSummary } from './webgl';
export { cpuProvider } from './cpu';
export { loadLaterKernels, loadTapeKernels } from './later';
export { isSoftwareAdapter, summarizeAdapter, adapterLabel, type AdapterSummary } from '@neurona/backend-core';
export type { BackendAttempt, BackendChoice, Candidate, SelectOptions } from './types';
