import { defineConfig } from 'tsup';

const common = { dts: true, sourcemap: true, target: 'es2022', external: [/^@tensorflow\//, /^@neurona\//, /\?url$/] } as const;

export default defineConfig([
  { ...common, entry: ['src/index.ts'], format: ['esm', 'cjs'], clean: true },
  // `?url` imports only mean something to Vite, which reads ESM: no CJS build for this entry
  { ...common, entry: ['src/vite.ts'], format: ['esm'], clean: false },
]);
