// Vite's `?url` imports: the module's default export is the URL of the emitted asset.
declare module '*?url' {
  const url: string;
  export default url;
}

// The package's own swappable kernel modules, imported by bare name so a bundler can replace them
declare module '@neurona/backend-web/webgpu-kernels' {
  export * from '@tensorflow/tfjs-backend-webgpu';
}
declare module '@neurona/backend-web/wasm-kernels' {
  export * from '@tensorflow/tfjs-backend-wasm';
}
declare module '@neurona/backend-web/later-kernels' {
  export function registerLaterKernels(): Promise<void>;
  export function registerTapeKernels(): Promise<void>;
}
declare module '@neurona/backend-web/later-gradients' {
  export function registerLaterGradients(): Promise<void>;
}
