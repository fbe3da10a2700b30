import { defineConfig } from 'tsup';
import { tfjsCoreRegistrations } from './build/tfjs-core-plugin';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  // Method-style ops (`t.argMax(1)`) are typed by tfjs-core as module augmentations in its
  // chained-op declaration files; importing them in our declarations lets users' TypeScript
  // accept `yTest.argMax(1)` as the course writes it.
  dts: { footer: "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';" },
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: [/^@tensorflow\/tfjs-core$/],
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  esbuildPlugins: [tfjsCoreRegistrations()],
});
