import { defineConfig } from 'tsup';

export default defineConfig({
  // One output file per source file (splitting), not one bundle, so that a bundler keeps only the
  // modules a page uses (a single-file bundle is one module: all of it or nothing).
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
