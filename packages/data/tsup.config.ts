import { fileURLToPath } from 'node:url';
import { defineConfig, type Options } from 'tsup';

const common: Options = { format: ['esm', 'cjs'], dts: true, sourcemap: true, target: 'es2022' };
const browserPlatform = fileURLToPath(new URL('./src/platform/browser.ts', import.meta.url));

export default defineConfig([
  // Node: files through node:fs, gzip through node:zlib
  { ...common, entry: ['src/index.ts'], clean: true },
  // Browsers: the same API with src/platform/index.ts replaced by the browser platform (no node:*)
  {
    ...common,
    entry: ['src/browser.ts'],
    platform: 'browser',
    esbuildPlugins: [
      {
        name: 'browser-platform',
        setup(build) {
          build.onResolve({ filter: /(^|\/)platform$/ }, () => ({ path: browserPlatform }));
        },
      },
    ],
  },
]);
