import { defineConfig } from 'tsup';

// index: the browser-safe module the page imports; train-node: the Node program (`pnpm start`).
// One output file per source file (splitting), so that a page's bundler can leave out, or load
// lazily, the convnet's module (buildModelAsync imports it only for the CNN).
export default defineConfig({
  entry: ['src/*.ts'],
  format: ['esm'],
  splitting: true,
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // the library packages stay imports (one tfjs-core instance), not bundled copies
  external: [/^@neurona\//],
});
