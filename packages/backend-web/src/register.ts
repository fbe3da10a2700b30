// Importing @neurona/backend-web makes its backends available by name to `setBackend` of
// @neurona/tensor. Nothing heavy loads here: each provider imports its tfjs backend on demand.
import { registerBackendProvider } from '@neurona/tensor';
import { cpuProvider } from './cpu';
import { wasmProvider } from './wasm';
import { webglProvider } from './webgl';
import { webgpuProvider } from './webgpu';

for (const p of [cpuProvider, wasmProvider, webglProvider, webgpuProvider]) registerBackendProvider(p);
