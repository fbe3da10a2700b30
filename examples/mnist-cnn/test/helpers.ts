// The examples' shared test helpers live in @neurona-examples/kit.
export { captureOutput, REPORT_LAYOUT } from '@neurona-examples/kit';
