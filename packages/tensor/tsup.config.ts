import { defineConfig } from 'tsup';
import { registerAllCjs, registerAllExternal } from './build/register-all-external';
import { tfjsCoreRegistrations } from './build/tfjs-core-plugin';

// The build script empties dist/ first: the two builds below run side by side, so neither cleans.
export default defineConfig([
  {
    // One output file per source file (splitting), as @neurona/models: a page bundler then keeps
    // only the modules it uses and puts those only a lazy chunk uses (the recurrent op, for the
    // Keras reader's layers) into that chunk. The public entries are `index` and
    // `@neurona/tensor/kernel-api` (for kernel/backend packages); splitting (experimental for CJS
    // in tsup) gives both one copy of every module, kernel definitions and gradients included.
    entry: ['src/**/*.ts', '!src/register-all.ts'],
    format: ['esm', 'cjs'],
    splitting: true,
    // Method-style ops (`t.argMax(1)`) are typed by tfjs-core as module augmentations in its
    // chained-op declaration files; importing them in our declarations lets users' TypeScript
    // accept `yTest.argMax(1)` as the course writes it.
    dts: {
      entry: { index: 'src/index.ts', 'kernel-api': 'src/kernel-api.ts' },
      footer: "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
    },
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
