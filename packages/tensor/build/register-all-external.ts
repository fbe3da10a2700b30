/**
 * `./register-all` (tfjs-core's gradient and chained-op registrations) stays a separate file that
 * the entries import (`./register-all.js` from ESM, `./register-all.cjs` from CJS) instead of
 * being bundled into the entries' shared chunk: a page bundler can then swap that one file for a
 * smaller one. tsup builds the file itself as an entry of its own (tsup.config.ts).
 */
import type { Plugin as EsbuildPlugin } from 'esbuild';
import type { Options } from 'tsup';

type TsupPlugin = NonNullable<Options['plugins']>[number];

/** esbuild plugin: the import of `./register-all` is left as `./register-all.js`. */
export function registerAllExternal(): EsbuildPlugin {
  return {
    name: 'register-all-external',
    setup(build) {
      build.onResolve({ filter: /^\.\/register-all$/ }, () => ({ path: './register-all.js', external: true }));
    },
  };
}

const IMPORT = /(import\s*)(['"])\.\/register-all\.js\2/g;

/**
 * tsup plugin: tsup makes its split CJS output from ESM (after this plugin runs), so the CJS
 * chunks' import is pointed at `./register-all.cjs` here (`./register-all.js` is ESM, which Node
 * 20's require cannot load).
 */
export function registerAllCjs(): TsupPlugin {
  return {
    name: 'register-all-cjs',
    renderChunk(code) {
      if (this.format !== 'cjs' || !code.includes('./register-all.js')) return undefined;
      return { code: code.replace(IMPORT, '$1$2./register-all.cjs$2') };
    },
  };
}
