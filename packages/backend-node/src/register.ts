// Importing @neurona/backend-node makes its backends available by tfjs name to
// `setBackend` of @neurona/tensor. `tensorflow` is the name tfjs-node registers; it is bound to
// the CPU build here and rebound to the GPU build when useNodeBackend picks tfjs-node-gpu.
import { registerBackendProvider } from '@neurona/tensor';
import { cpuProvider } from './cpu';
import { wasmProvider } from './wasm';
import { webgpuProvider } from './webgpu';
import { tfjsNodeProvider } from './tfjs-node';

for (const p of [cpuProvider, wasmProvider, webgpuProvider, tfjsNodeProvider('@tensorflow/tfjs-node')]) {
  registerBackendProvider(p);
}
