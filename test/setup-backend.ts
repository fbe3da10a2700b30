// Every package's tests run on the backend named by NEURONA_TEST_BACKEND (cpu by default), set
// up once per test file. The conformance suite runs the same vectors on every backend itself.
import { env, setBackend, registerBackendProvider, listBackendProviders } from '@neurona/tensor';
import '@tensorflow/tfjs-backend-cpu';

if (!listBackendProviders().includes('cpu')) {
  registerBackendProvider({ name: 'cpu', kind: 'cpu', load: async () => ({}) });
}
// tfjs prints a 'install tfjs-node' banner on the cpu backend unless PROD is set
env().set('PROD', true);
await setBackend(process.env.NEURONA_TEST_BACKEND ?? 'cpu');
