import { defineConfig } from 'tsup';

// index: the browser-safe module the page imports; train-node: the Node program (`pnpm start`).
export default defineConfig({
  entry: ['src/index.ts', 'src/train-node.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // the library packages stay imports (one tfjs-core instance), not bundled copies
  external: [/^@neurona\//],
});
