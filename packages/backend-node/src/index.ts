import './register';

export { useNodeBackend, type UseNodeBackendOptions } from './use-node-backend';
export { NODE_BACKENDS, nodeCandidates, type NodeBackendName } from './node-candidates';
export { selectBackend, formatChoice, BackendSelectionError, startBackendProvider } from '@neurona/backend-core';
export { isSoftwareAdapter, summarizeAdapter, adapterLabel, type AdapterSummary } from '@neurona/backend-core';
export { useFastKernels, fastKernelsStatus, fastKernelsActive, relaxedSimdSupported, type FastKernelsStatus, type FastKernelsOptions } from '@neurona/kernels';
export { enableRelaxedSimd, RELAXED_SIMD_FLAG } from './relaxed-simd';
export { probeDawn, type DawnProbe } from './dawn-probe';
export { installDawnGlobals, webgpuProvider, NO_ADAPTER_HINT } from './webgpu';
export { wasmProvider, wasmBinaryDir } from './wasm';
export { cpuProvider } from './cpu';
export { tfjsNodeProvider, loadTfjsNode, type TfjsNodePackage } from './tfjs-node';
export type { BackendAttempt, BackendChoice, Candidate, SelectOptions } from './types';
