import { defineConfig } from 'tsup';
import { registerAllCjs, registerAllExternal } from './build/register-all-external';
import { tfjsCoreRegistrations } from './build/tfjs-core-plugin';

// The build script empties dist/ first: the two builds below run side by side, so neither cleans.
export default defineConfig([
  {
    // Two entries: the public API and `@neurona/tensor/kernel-api` for kernel/backend packages.
    // Splitting (experimental for CJS in tsup) puts what they share in one chunk per format, so
    // both entries run one copy of the kernel definitions and gradient registrations.
    entry: ['src/index.ts', 'src/kernel-api.ts'],
    format: ['esm', 'cjs'],
    splitting: true,
    // Method-style ops (`t.argMax(1)`) are typed by tfjs-core as module augmentations in its
    // chained-op declaration files; importing them in our declarations lets users' TypeScript
    // accept `yTest.argMax(1)` as the course writes it.
    dts: { footer: "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';" },
    clean: false,
    sourcemap: true,
    target: 'es2022',
    external: [/^@tensorflow\/tfjs-core$/],
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    esbuildPlugins: [registerAllExternal(), tfjsCoreRegistrations()],
    plugins: [registerAllCjs()],
  },
  {
    // tfjs-core's gradient and chained-op registrations, a file of their own (src/register-all.ts)
    entry: ['src/register-all.ts'],
    format: ['esm', 'cjs'],
    splitting: false,
    clean: false,
    sourcemap: true,
    target: 'es2022',
    external: [/^@tensorflow\/tfjs-core$/],
    noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    esbuildPlugins: [tfjsCoreRegistrations()],
  },
]);
