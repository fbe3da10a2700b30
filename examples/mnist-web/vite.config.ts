import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { neuronaKernels, neuronaRegistrations, tfjsCoreTrim } from '@neurona/backend-web/vite-plugin';

// The WebGPU and wasm kernels this page's models use and the tensor methods (`t.argMax()`) its
// code calls (recorded by test/kernels.test.ts): a visit downloads only those kernels, and
// registers only those methods, not all of tfjs's. `later`: the WebGPU kernels that only the CNN
// or the tape's training step use, and every gradient: a lazy chunk that loadLaterKernels() and
// ensureKernels() (awaited by fit before it trains on the tape) load.
const kernels = JSON.parse(readFileSync(new URL('./kernels.json', import.meta.url), 'utf8')) as { webgpu: string[]; later: string[]; wasm: string[]; chainedOps: string[] };

export default defineConfig({
  // Relative asset URLs: dist/ works from any path of any static server
  base: './',
  // tfjsCoreTrim: tfjs-core's own optimizers and tf.io's browser model stores stay out (unused here)
  plugins: [
    neuronaKernels({ webgpu: kernels.webgpu, wasm: kernels.wasm, later: { webgpu: kernels.later } }),
    // no gradient at import: only the tape's training step uses them, and @neurona/models awaits
    // ensureKernels() (the lazy chunk) before it trains on the tape; the MLP trains on a compiled plan
    neuronaRegistrations({ kernels: [], chainedOps: kernels.chainedOps, later: kernels.wasm }),
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
