// Importing @neurona/backend-web makes its backends available by name to `setBackend` of
// @neurona/tensor. Nothing heavy loads here: each provider imports its tfjs backend on demand.
// `ensureKernels()` of @neurona/tensor (awaited by @neurona/models before it trains on the tape)
// loads what a page's bundle deferred for the tape (`loadTapeKernels`).
import { registerBackendProvider, setKernelLoader } from '@neurona/tensor';
import { cpuProvider } from './cpu';
import { loadTapeKernels } from './later';
import { wasmProvider } from './wasm';
import { webglProvider } from './webgl';
import { webgpuProvider } from './webgpu';

for (const p of [cpuProvider, wasmProvider, webglProvider, webgpuProvider]) registerBackendProvider(p);
setKernelLoader(loadTapeKernels);
