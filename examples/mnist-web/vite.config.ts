import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { neuronaKernels, neuronaRegistrations, tfjsCoreTrim } from '@neurona/backend-web/vite-plugin';

// The WebGPU and wasm kernels this page's models use and the tensor methods (`t.argMax()`) its
// code calls (recorded by test/kernels.test.ts and test/webgpu-kernels.test.ts): a visit downloads
// only those kernels, and registers only those methods, not all of tfjs's. `webgpu`: what a WebGPU
// visit runs when the compiled plan trains, validates and predicts; `tape`: what else the MLP and
// the perceptron use on the tape, and every gradient: lazy chunks that ensureKernels() loads
// (@neurona/models awaits it before anything runs on the tape); `later`: what only the CNN adds,
// a lazy chunk that loadLaterKernels() loads (with the tape's). webgpuCpuForward: false: the WebGPU
// backend runs every kernel on the GPU, so tfjs-backend-cpu's helpers stay out of a WebGPU visit;
// trimWebgpu: its synchronous readback, timer and texture manager too (the page reads asynchronously).
const kernels = JSON.parse(readFileSync(new URL('./kernels.json', import.meta.url), 'utf8')) as { webgpu: string[]; tape: string[]; later: string[]; wasm: string[]; chainedOps: string[] };

export default defineConfig({
  // Relative asset URLs: dist/ works from any path of any static server
  base: './',
  // tfjsCoreTrim: tfjs-core's own optimizers and tf.io's browser model stores stay out (unused here)
  plugins: [
    neuronaKernels({ webgpu: kernels.webgpu, wasm: kernels.wasm, later: { webgpu: kernels.later, tape: kernels.tape }, webgpuCpuForward: false, trimWebgpu: true }),
    // no gradient at import: only the tape's training step uses them, and @neurona/models awaits
    // ensureKernels() (the lazy chunk) before it trains on the tape; the MLP trains on a compiled plan
    neuronaRegistrations({ kernels: [], chainedOps: kernels.chainedOps, later: kernels.wasm, laterTape: true }),
    tfjsCoreTrim(),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs backends are large single modules; the warning says nothing useful here
    chunkSizeWarningLimit: 2000,
    // terser (two compress passes) makes the JavaScript a visit downloads about 4 % smaller
    // gzipped than esbuild's minifier (WebGPU visit 127.5 -> 122.7 KB, wasm 163.7 -> 156.3 KB, scripts/measure-size.mjs);
    // the build takes a few seconds longer
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
  },
});
