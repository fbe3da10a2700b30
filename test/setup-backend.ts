// Every package's tests run on the backend named by NEURONA_TEST_BACKEND (cpu by default), set
// up once per test file through useNodeBackend, so a backend that cannot start fails loudly.
// The conformance suite runs the same vectors on every backend itself.
import { useNodeBackend } from '@neurona/backend-node';

await useNodeBackend({ force: process.env.NEURONA_TEST_BACKEND ?? 'cpu', silent: true });
