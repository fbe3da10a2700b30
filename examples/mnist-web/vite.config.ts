import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { DEFAULT_CHUNK_GROUPS, neuronaChunks, neuronaKernels, neuronaRegistrations, tfjsCoreTrim } from '@neurona/backend-web/vite-plugin';

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
    // the lazy code a visit loads together in one file per group, not in a dozen small ones: the
    // WebGPU backend with its kernels, the wasm backend with its kernels, and the WebGPU plan with
    // @neurona/kernels/webgpu (this page trains or evaluates only compiled, graph models on array
    // data, and every such run of the plan imports @neurona/kernels/webgpu at once: one group)
    neuronaChunks({ ...DEFAULT_CHUNK_GROUPS, 'webgpu-plan': { roots: [...DEFAULT_CHUNK_GROUPS['webgpu-plan'].roots, /[\\/]kernels[\\/]dist[\\/]webgpu\.js$/], after: DEFAULT_CHUNK_GROUPS['webgpu-plan'].after } }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs backends are large single modules; the warning says nothing useful here
    chunkSizeWarningLimit: 2000,
    // no modulepreload polyfill (0.2 KB): it serves browsers without <link rel=modulepreload>, and
    // every browser with WebGPU has it (Vite's preload helper falls back to rel=preload anyway).
    // Preloading stays: a lazy chunk and its imports are fetched at once. `modulePreload: false`
    // would save 1.3 KB more (the helper and the dependency lists) but fetch each lazy chunk's
    // imports one round trip after the chunk: two more round trips on a WebGPU visit (the backend,
    // then the plan), each worth more than 1.3 KB on a slow link
    modulePreload: { polyfill: false },
    // terser (two compress passes) makes the JavaScript a visit downloads about 4 % smaller
    // gzipped than esbuild's minifier (WebGPU visit 127.5 -> 122.7 KB, wasm 163.7 -> 156.3 KB, scripts/measure-size.mjs);
    // the build takes a few seconds longer
    minify: 'terser',
    terserOptions: { compress: { passes: 2 } },
  },
});
