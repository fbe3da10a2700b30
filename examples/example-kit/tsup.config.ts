import { defineConfig } from 'tsup';

// Used by the example programs only (ESM, as they are), with declarations for their typecheck.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
