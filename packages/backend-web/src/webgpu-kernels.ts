// The WebGPU backend with every kernel it has: what `webgpuProvider` loads by default. A page
// that ships only the kernels its models use replaces this module at bundle time
// (`neuronaKernels` of `@neurona/backend-web/vite-plugin`).
export * from '@tensorflow/tfjs-backend-webgpu';
