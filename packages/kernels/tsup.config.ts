import { defineConfig } from 'tsup';

export default defineConfig({
  // the WebGPU plan is its own entry (@neurona/kernels/webgpu): it never loads the wasm kernels
  entry: { index: 'src/index.ts', webgpu: 'src/webgpu/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: [/^@tensorflow\//, /^@neurona\//],
});
