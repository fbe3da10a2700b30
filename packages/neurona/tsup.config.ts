import { defineConfig } from 'tsup';

// No `clean`: the builds run at once and one would delete the others' files (the build script
// empties dist/ first). Node and browser builds apart, so neither shares a chunk with the other.
const common = { clean: false, dts: true, sourcemap: true, target: 'es2022', external: [/^@neurona\//] } as const;

export default defineConfig([
  // index: Node (backend-node); browser: the same API with backend-web (package.json "exports")
  { ...common, entry: ['src/index.ts'], format: ['esm', 'cjs'] },
  { ...common, entry: ['src/browser.ts'], format: ['esm', 'cjs'] },
  // Vite-only (`?url` asset imports inside): ESM, no CJS build
  { ...common, entry: ['src/vite.ts'], format: ['esm'] },
]);
