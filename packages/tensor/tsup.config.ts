import { defineConfig } from 'tsup';
import { tfjsCoreRegistrations } from './build/tfjs-core-plugin';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: [/^@tensorflow\/tfjs-core$/],
  noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
  esbuildPlugins: [tfjsCoreRegistrations()],
});
