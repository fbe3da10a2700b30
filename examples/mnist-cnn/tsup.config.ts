import { defineConfig } from 'tsup';

// A program, not a library: one ESM file for `node dist/main.js`, no type declarations.
export default defineConfig({
  entry: ['src/main.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  target: 'node20',
});
