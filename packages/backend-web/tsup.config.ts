import { defineConfig } from 'tsup';

// No `clean`: the two builds run at once (the build script empties dist/ first).
const common = { clean: false, dts: true, sourcemap: true, target: 'es2022', external: [/^@tensorflow\//, /^@neurona\//, /\?url$/] } as const;

export default defineConfig([
  { ...common, entry: ['src/index.ts', 'src/webgpu-kernels.ts', 'src/wasm-kernels.ts', 'src/later-kernels.ts', 'src/later-gradients.ts'], format: ['esm', 'cjs'] },
  // `?url` imports only mean something to Vite, which reads ESM; the kernel-set tools and the
  // Vite plugin run in Node at build time: ESM only for these entries
  { ...common, entry: ['src/vite.ts', 'src/kernel-set.ts', 'src/vite-plugin.ts'], format: ['esm'] },
]);
