import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // import.meta.url (used to resolve the installed backends) also in the CJS build
  shims: true,
  external: [/^@tensorflow\//, 'webgpu', /^@neurona\//],
});
