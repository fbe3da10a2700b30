// The examples' shared test helpers live in @neurona-examples/kit.
export { captureOutput } from '@neurona-examples/kit';
