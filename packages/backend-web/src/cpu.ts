import type { BackendProvider } from '@neurona/tensor';

/** The plain JavaScript backend: always available, slowest. */
export const cpuProvider: BackendProvider = {
  name: 'cpu',
  kind: 'cpu',
  capabilities: { memory: 'host', syncRead: true, gpu: false },
  load: async () => {
    // @neurona/kernels (batches by row copy, gatherRows, as in Node) only with a backend that uses
    // them: a WebGPU visit does not download it
    await Promise.all([import('@tensorflow/tfjs-backend-cpu'), import('@neurona/kernels')]);
    return {};
  },
};
