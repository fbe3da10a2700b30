// The wasm backend with every kernel it has (and its `setWasmPaths`): what `wasmProvider` loads
// by default. A page that ships only the kernels its models use replaces this module at bundle
// time (`neuronaKernels` of `@neurona/backend-web/vite-plugin`).
export * from '@tensorflow/tfjs-backend-wasm';
