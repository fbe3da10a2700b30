import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // h5wasm (HDF5 in WebAssembly, 4 MB) is ESM only and loaded on first use with import()
  external: ['h5wasm'],
});
