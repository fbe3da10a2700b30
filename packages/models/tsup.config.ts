import { defineConfig } from 'tsup';

export default defineConfig({
  // One output file per source file (splitting), not one bundle: a bundler then keeps only the
  // modules a page uses, and puts those only a lazy chunk uses (loading, for the Keras reader)
  // into that chunk. A single-file bundle is one module: all of it lands where any of it is used.
  entry: ['src/**/*.ts'],
  format: ['esm', 'cjs'],
  splitting: true,
  dts: { entry: { index: 'src/index.ts' } },
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
