import { defineConfig } from 'tsup';

export default defineConfig({
  // One output file per source file (splitting), not one bundle: a bundler then keeps only the
  // layer modules a page imports. A single-file bundle keeps every top-level statement of the
  // package as soon as one export is used.
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
