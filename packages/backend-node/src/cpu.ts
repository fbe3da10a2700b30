import type { BackendProvider } from '@neurona/tensor';

/** The plain JavaScript backend: always available, slowest. */
export const cpuProvider: BackendProvider = {
  name: 'cpu',
  kind: 'cpu',
  capabilities: { memory: 'host', syncRead: true, gpu: false },
  load: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    return {};
  },
};
