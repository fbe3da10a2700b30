import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { neuronaKernels, tfjsCoreTrim } from '@neurona/backend-web/vite-plugin';

// The WebGPU and wasm kernels this page's models use (recorded by test/kernels.test.ts): a visit
// downloads only those, not the backend's whole set.
const kernels = JSON.parse(readFileSync(new URL('./kernels.json', import.meta.url), 'utf8')) as { webgpu: string[]; wasm: string[] };

export default defineConfig({
  // Relative asset URLs: dist/ works from any path of any static server
  base: './',
  // tfjsCoreTrim: tfjs-core's own optimizers and tf.io's browser model stores stay out (unused here)
  plugins: [neuronaKernels(kernels), tfjsCoreTrim()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs backends are large single modules; the warning says nothing useful here
    chunkSizeWarningLimit: 2000,
  },
});
