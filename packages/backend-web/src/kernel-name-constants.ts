// tfjs's modules name kernels by constants of tfjs-core's `kernel_names.js` (`export const Abs =
// 'Abs'`, 180 of them), imported from '../kernel_names' inside tfjs-core and from
// '@tensorflow/tfjs-core' in the backends. A bundler places that module in one chunk: the page's
// entry (tfjs-core's engine uses three names), which then holds every name any lazy chunk uses and
// exports each to it. Each module given its names as local constants, with the values read from
// kernel_names.js itself, carries only its own names, and kernel_names.js drops out of the bundle.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** `{ exported name: kernel name }` of a tfjs-core `kernel_names.js`. */
export type KernelNames = ReadonlyMap<string, string>;

const CONSTANT = /^export const (\w+) = '([^'\\]+)';$/gm;

/**
 * The kernel-name constants of tfjs-core's `kernel_names.js` (`source`, read from `file`). Throws
 * unless every export of the file is such a constant (another tfjs-core version?): a name rewritten
 * to a wrong value would fail only when its kernel runs.
 */
export function readKernelNames(source: string, file: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const [, name, value] of source.matchAll(CONSTANT)) names.set(name, value);
  const exports = source.match(/^export\b/gm)?.length ?? 0;
  if (names.size === 0 || exports !== names.size) {
    throw new Error(`tfjsCoreTrim: ${file} has ${exports} exports, ${names.size} of them kernel-name constants (export const X = '...'); expected only those (another tfjs-core version?)`);
  }
  return names;
}

// `export { A, B as C }` and `export { A } from '...'` of tfjs-core's base.js (its index re-exports
// base): a kernel name exported there would not be kernel_names.js's constant
const EXPLICIT_EXPORTS = /^export \{([^}]*)\}/gm;

/**
 * Checks that tfjs-core's `base.js` (`source`, what '@tensorflow/tfjs-core' exports) re-exports
 * kernel_names.js whole and exports no other binding under a kernel name, so an import of `Abs`
 * from '@tensorflow/tfjs-core' is the constant of `names`. Throws otherwise.
 */
export function checkCoreExportsKernelNames(source: string, file: string, names: KernelNames): void {
  if (!/^export \* from '\.\/kernel_names';$/m.test(source)) throw new Error(`tfjsCoreTrim: ${file} no longer has export * from './kernel_names' (another tfjs-core version?)`);
  for (const [, list] of source.matchAll(EXPLICIT_EXPORTS)) {
    const clash = specifiers(list).find((s) => names.has(s.exported));
    if (clash) throw new Error(`tfjsCoreTrim: ${file} exports ${clash.exported} of its own, which is also a kernel name (another tfjs-core version?)`);
  }
}

interface Specifier {
  /** the name in the other module (`Abs` of `Abs as A`) */
  imported: string;
  /** the name here (`A`) */
  local: string;
  /** the name exported (for an export list: the name after `as`) */
  exported: string;
}

/** The names of `{ a, b as c }`'s inside. */
function specifiers(list: string): Specifier[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [imported, local = imported] = s.split(/\s+as\s+/);
      return { imported, local, exported: local };
    });
}

const NAMED_IMPORT = /^import \{([^}]*)\} from (['"])([^'"]+)\2;[ \t]*$/gm;
const NAMESPACE_IMPORT = /^import \* as ([\w$]+) from (['"])([^'"]+)\2;[ \t]*$/gm;
const CORE = '@tensorflow/tfjs-core';

/** Whether the import `source` of module `id` is tfjs-core's kernel_names.js (a relative import inside tfjs-core). */
function isKernelNamesFile(source: string, id: string): boolean {
  return source.startsWith('.') && /(^|\/)kernel_names(\.js)?$/.test(source) && /[\\/]tfjs-core[\\/]dist[\\/]/.test(resolve(dirname(id), source));
}

/**
 * `code` (the module `id`) with its imports of tfjs-core's kernel-name constants turned into local
 * constants (`const Abs = "Abs";` at the top): named imports from tfjs-core's `kernel_names.js` or
 * from '@tensorflow/tfjs-core' (other names of the same import are kept, and an import left with
 * none becomes `import '@tensorflow/tfjs-core';`, so tfjs-core still runs first), and `ns.Abs` of a
 * namespace import of either. `names` gives the values (see `kernelNamesFor`). Returns null when
 * the module imports no kernel name. Throws when a name imported from kernel_names.js is not one
 * of `names`, or when the module still imports kernel_names.js after the rewrite (a form this
 * does not know).
 */
export function inlineKernelNames(code: string, id: string, names: KernelNames): string | null {
  const constants = new Map<string, string>();
  const take = (local: string, imported: string) => {
    constants.set(local, names.get(imported) as string);
  };
  let out = code.replace(NAMED_IMPORT, (line, list: string, _q: string, source: string) => {
    const fromFile = isKernelNamesFile(source, id);
    if (!fromFile && source !== CORE) return line;
    const specs = specifiers(list);
    const unknown = specs.filter((s) => !names.has(s.imported));
    if (fromFile && unknown.length) throw new Error(`tfjsCoreTrim: ${id} imports ${unknown.map((s) => s.imported).join(', ')} from ${source}, which has no such kernel name (another tfjs-core version?)`);
    if (unknown.length === specs.length) return line;
    for (const s of specs) if (names.has(s.imported)) take(s.local, s.imported);
    if (fromFile) return '';
    return unknown.length ? `import { ${unknown.map((s) => (s.local === s.imported ? s.imported : `${s.imported} as ${s.local}`)).join(', ')} } from '${CORE}';` : `import '${CORE}';`;
  });
  for (const [, ns, , source] of code.matchAll(NAMESPACE_IMPORT)) {
    if (source !== CORE && !isKernelNamesFile(source, id)) continue;
    // `ns.Abs` (not `x.ns.Abs`, not `ns.Abs(`): the constant's value
    out = out.replace(new RegExp(`(?<![\\w$.])${ns.replace(/\$/g, '\\$')}\\.([A-Z][\\w$]*)\\b(?!\\s*\\()`, 'g'), (use, name: string) => (names.has(name) ? JSON.stringify(names.get(name)) : use));
  }
  const left = [...out.matchAll(/from (['"])([^'"]+)\1/g)].find(([, , source]) => isKernelNamesFile(source, id));
  if (left && !/[\\/]tfjs-core[\\/]dist[\\/]base\.js$/.test(id)) throw new Error(`tfjsCoreTrim: ${id} still imports ${left[2]} in a form tfjsCoreTrim does not rewrite (another tfjs version?)`);
  if (out === code) return null;
  const decl = [...constants].map(([local, value]) => `const ${local} = ${JSON.stringify(value)};`).join(' ');
  return decl ? `// tfjsCoreTrim (@neurona/backend-web/vite-plugin): tfjs-core's kernel names as local constants\n${decl}\n${out}` : out;
}

const cache = new Map<string, Map<string, string>>();

/**
 * The kernel names of the tfjs-core that module `id` (a file of tfjs-core or of a package that
 * imports it) sees, read from that tfjs-core's `dist/kernel_names.js` and checked against its
 * `dist/base.js` (cached per file).
 */
export function kernelNamesFor(id: string): KernelNames {
  const path = id.split('?')[0];
  const inCore = /^(.*[\\/]tfjs-core[\\/]dist)[\\/]/.exec(path);
  const dist = inCore ? inCore[1] : join(dirname(createRequire(path).resolve(`${CORE}/package.json`)), 'dist');
  const file = join(dist, 'kernel_names.js');
  let names = cache.get(file);
  if (!names) {
    if (!existsSync(file)) throw new Error(`tfjsCoreTrim: no ${file} (another tfjs-core version?)`);
    names = readKernelNames(readFileSync(file, 'utf8'), file);
    checkCoreExportsKernelNames(readFileSync(join(dist, 'base.js'), 'utf8'), join(dist, 'base.js'), names);
    cache.set(file, names);
  }
  return names;
}
