import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { neuronaKernels, neuronaRegistrations, tfjsCoreTrim } from '@neurona/backend-web/vite-plugin';

// The WebGPU and wasm kernels this page's models use and the tensor methods (`t.argMax()`) its
// code calls (recorded by test/kernels.test.ts): a visit downloads only those kernels, and
// registers only those kernels' gradients and those methods, not all of tfjs's. `later`: what only
// the CNN adds (its WebGPU kernels and gradients), a lazy chunk loaded with loadLaterKernels().
const kernels = JSON.parse(readFileSync(new URL('./kernels.json', import.meta.url), 'utf8')) as { webgpu: string[]; later: string[]; wasm: string[]; chainedOps: string[] };

export default defineConfig({
  // Relative asset URLs: dist/ works from any path of any static server
  base: './',
  // tfjsCoreTrim: tfjs-core's own optimizers and tf.io's browser model stores stay out (unused here)
  plugins: [
    neuronaKernels({ webgpu: kernels.webgpu, wasm: kernels.wasm, later: { webgpu: kernels.later } }),
    neuronaRegistrations({ kernels: kernels.webgpu, chainedOps: kernels.chainedOps, later: kernels.later }),
    tfjsCoreTrim(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs backends are large single modules; the warning says nothing useful here
    chunkSizeWarningLimit: 2000,
  },
});
