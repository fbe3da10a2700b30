import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/main.ts', 'src/profile-step.ts', 'src/profile-lstm.ts', 'src/profile-compiled.ts', 'src/stream-memory.ts', 'src/transformer.ts', 'src/batch-norm-kernels.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'es2022',
  // Everything is resolved at run time from node_modules: one tfjs-core instance for all.
  external: [/^@tensorflow\//, /^@neurona\//, 'webgpu'],
});
