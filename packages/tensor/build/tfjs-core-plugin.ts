/**
 * esbuild plugin: bundle tfjs-core's gradient and chained-op registrations (shipped only as
 * extension-less ESM that Node cannot load) without bundling a second tfjs-core.
 *
 * Every module those registrations import is replaced by a generated module that takes each
 * export from the one shared `@tensorflow/tfjs-core` instance (its public API, `util` or
 * `backend_util`). Only when a module exports something the public API lacks (a few backprop
 * ops) is the original file bundled, and its own imports go through the same rule. The engine
 * and the Tensor class always come from the shared instance.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve, relative } from 'node:path';
import type { Plugin } from 'esbuild';

const require = createRequire(import.meta.url);
const coreMain = require.resolve('@tensorflow/tfjs-core');
const coreDist = dirname(coreMain);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const core = require('@tensorflow/tfjs-core') as Record<string, unknown> & {
  util: Record<string, unknown>;
  slice_util: Record<string, unknown>;
  backend_util: Record<string, unknown>;
};

const ALWAYS_BUNDLE = [/^gradients\//, /^public\/chained_ops\//, /^register_all_gradients\.js$/];

function exportNames(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file) || !existsSync(file)) return [];
  seen.add(file);
  const src = readFileSync(file, 'utf8');
  const names = new Set<string>();
  for (const m of src.matchAll(/export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([A-Za-z_$][\w$]*)/g)) names.add(m[1]);
  for (const m of src.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  for (const m of src.matchAll(/export\s*\*\s*from\s*'([^']+)'/g)) {
    const target = resolve(dirname(file), m[1]);
    for (const n of exportNames(target.endsWith('.js') ? target : target + '.js', seen)) names.add(n);
  }
  return [...names];
}

// Internal names the registrations use that the public API offers under another form.
const SPECIAL: Record<string, string> = {
  ENGINE: 'tfc.engine()',
  getGlobalTensorClass: '() => tfc.Tensor',
  // copies of types.js's two type guards, which tensor_util_env.js needs and the API hides
  isWebGLData: "(v) => typeof WebGLTexture !== 'undefined' && v != null && typeof v === 'object' && 'texture' in v && v.texture instanceof WebGLTexture",
  isWebGPUData: "(v) => typeof GPUBuffer !== 'undefined' && v != null && typeof v === 'object' && 'buffer' in v && v.buffer instanceof GPUBuffer",
};

function lookup(name: string): string | undefined {
  if (name in SPECIAL) return SPECIAL[name];
  if (name in core) return `tfc[${JSON.stringify(name)}]`;
  if (core.util && name in core.util) return `tfc.util[${JSON.stringify(name)}]`;
  if (core.slice_util && name in core.slice_util) return `tfc.slice_util[${JSON.stringify(name)}]`;
  if (core.backend_util && name in core.backend_util) return `tfc.backend_util[${JSON.stringify(name)}]`;
  return undefined;
}

/** Every name the shared instance offers, as an expression over `tfc`, public API first. */
function universalShim(): string {
  const exprs = new Map<string, string>();
  for (const n of Object.keys(core.backend_util ?? {})) exprs.set(n, `tfc.backend_util[${JSON.stringify(n)}]`);
  for (const n of Object.keys(core.slice_util ?? {})) exprs.set(n, `tfc.slice_util[${JSON.stringify(n)}]`);
  for (const n of Object.keys(core.util ?? {})) exprs.set(n, `tfc.util[${JSON.stringify(n)}]`);
  for (const n of Object.keys(core)) if (n !== 'default') exprs.set(n, `tfc[${JSON.stringify(n)}]`);
  for (const [n, e] of Object.entries(SPECIAL)) exprs.set(n, e);
  const lines = ["import * as tfc from '@tensorflow/tfjs-core';"];
  for (const [n, e] of exprs) if (/^[A-Za-z_$][\w$]*$/.test(n)) lines.push(`export const ${n} = /* @__PURE__ */ (() => ${e})();`);
  return lines.join('\n') + '\n';
}
const SHIM = universalShim();

/**
 * A module of which the shared instance offers at least one export is replaced by the shim; one
 * it offers nothing of (a backprop op, a constant) is bundled as is. An import of a name the
 * shim lacks fails the build, so nothing is silently half-shimmed.
 */
function shouldShim(file: string): boolean {
  return exportNames(file).some((n) => lookup(n) !== undefined);
}

export function tfjsCoreRegistrations(): Plugin {
  return {
    name: 'tfjs-core-registrations',
    setup(build) {
      build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\// }, (args) => {
        const file = resolve(coreDist, args.path.slice('@tensorflow/tfjs-core/dist/'.length) + (args.path.endsWith('.js') ? '' : '.js'));
        return { path: file, namespace: 'file' };
      });
      build.onResolve({ filter: /^\./ }, (args) => {
        if (!args.importer.startsWith(coreDist)) return undefined;
        let file = resolve(dirname(args.importer), args.path);
        if (!file.endsWith('.js')) file = existsSync(file + '.js') ? file + '.js' : resolve(file, 'index.js');
        const rel = relative(coreDist, file);
        if (ALWAYS_BUNDLE.some((re) => re.test(rel))) return { path: file };
        if (!shouldShim(file)) {
          if (process.env.NEURONA_PLUGIN_DEBUG) console.log('bundled', rel);
          return { path: file };
        }
        return { path: 'shared-tfjs-core', namespace: 'tfjs-core-shim' };
      });
      build.onLoad({ filter: /.*/, namespace: 'tfjs-core-shim' }, (args) => ({
        contents: SHIM,
        resolveDir: coreDist,
        loader: 'js',
      }));
    },
  };
}
