// tfjsCoreTrim, a Vite plugin (Node side): what tfjs-core puts in a page's bundle that the page
// never runs (registrations made at import, debugging aids, code only another backend calls) is
// left out or moved to the chunks that use it, by build-time transforms of tfjs-core's own files,
// each checked so that a build fails loudly when tfjs's text changes.
import { readFileSync } from 'node:fs';
import { inlineKernelNames, kernelNamesFor } from './kernel-name-constants';

/** The part of Vite's plugin interface `tfjsCoreTrim` uses. */
export interface TrimPlugin {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
  transform(code: string, id: string, options?: { ssr?: boolean }): { code: string; moduleSideEffects: false } | string | null;
}

// tfjs-core's device_util.js holds isBrowser (which tfjs-core itself calls at start-up) and
// isMobile (two long user-agent regular expressions, called by the WebGL backend's flags only): a
// bundler places a whole module in one chunk, so isMobile sat in every page's entry. The module
// re-exports isMobile (and mockIsMobile, which shares its state) from a module of their own, the
// original file under another id, which the bundler then places with the WebGL backend.
const MOBILE = '\0neurona-tfjs-core-mobile:';
const DEVICE_UTIL_EXPORTS = ['mockIsMobile', 'isMobile', 'isBrowser'];
const IS_BROWSER = 'export function isBrowser() {';

/** device_util.js with isMobile and mockIsMobile re-exported from their own module (the file itself, loaded as `MOBILE + id`). */
function splitDeviceUtil(code: string, id: string): string {
  const found = [...code.matchAll(/^export function (\w+)/gm)].map((m) => m[1]);
  const at = code.indexOf(IS_BROWSER);
  if (found.join() !== DEVICE_UTIL_EXPORTS.join() || at < 0) throw new Error(`tfjsCoreTrim: ${id} exports ${found.join(', ')}, expected ${DEVICE_UTIL_EXPORTS.join(', ')} (another tfjs-core version?)`);
  return `// tfjsCoreTrim (@neurona/backend-web/vite-plugin): isMobile in a module of its own, placed with the code that calls it\nexport { isMobile, mockIsMobile } from ${JSON.stringify(MOBILE + id.split('?')[0])};\n${code.slice(at)}`;
}

// tfjs-core registers at import what neurona never uses: its own optimizers (for tfjs's model
// serialization; neurona has @neurona/optimizers) and the IndexedDB and localStorage model stores
// of `tf.io` (`indexeddb://` in neurona is @neurona/models' own writer).
const CORE_DIST = /@tensorflow[\\/]tfjs-core[\\/]dist[\\/]/;
// the ES modules of tfjs-core and of the packages over it (the backends), not their single-file bundles
const TFJS_MODULE = /@tensorflow[\\/]tfjs-[\w-]+[\\/]dist[\\/].*\.js$/;
const TFJS_BUNDLE = /[\\/]dist[\\/]tf-[^\\/]*\.js$/;
const ROUTER_LINE = /^IORouterRegistry\.register(Save|Load)Router\(\w+\);$/gm;
const REGISTER_OPTIMIZERS = /^registerOptimizers\(\);$/m;
const STORE_MANAGER = /^ {4}\/\/ Register (LocalStorage|IndexedDB) IOHandler\n {4}try \{\n {8}ModelStoreManagerRegistry\.registerManager\([^;]*\);\n {4}\}\n {4}catch \(err\) \{\n {4}\}\n/gm;

// tfjs-core's random ops use seedrandom's Alea generator only, but import the whole package (six
// generators); the profiler (tf.profile, the DEBUG flag) and the tensor printer (t.print(),
// t.toString()) are debugging aids a page does not run.
const SEEDRANDOM_IMPORT = /^import \* as seedrandom from 'seedrandom';$/m;
const PROFILER_STUB = [
  '// tfjsCoreTrim (@neurona/backend-web/vite-plugin): tf.profile() and the DEBUG flag are left out of this bundle',
  'const left = () => { throw new Error("tfjs-core\'s profiler (tf.profile, the DEBUG flag) is left out of this page by tfjsCoreTrim() of @neurona/backend-web/vite-plugin"); };',
  'export class Profiler { constructor(backendTimer, logger) { this.backendTimer = backendTimer; this.logger = logger; } profileKernel() { left(); } logKernelProfile() { left(); } }',
  'export class Logger { logKernelProfile() { left(); } }',
  'export function checkComputationForErrors() { return false; }',
  '',
].join('\n');
const TENSOR_FORMAT_STUB = [
  '// tfjsCoreTrim (@neurona/backend-web/vite-plugin): the tensor printer is left out of this bundle',
  'export function tensorToString(vals, shape, dtype) { return `Tensor (${dtype}, shape [${shape.join(\', \')}]; values not printed: tfjsCoreTrim)`; }',
  '',
].join('\n');

// tfjs-core's Node platform registers itself only where `IS_NODE && !IS_BROWSER`: never in a
// browser (a page, a worker), so its module is dead weight in a browser bundle's entry.
const PLATFORM_NODE_IMPORT = /^import '\.\/platforms\/platform_node';\n/m;

/**
 * The code of a tfjs-core module without those registrations, or null when `id` is not one of
 * the modules concerned (the index, the two stores, the browser platform that lists them, the
 * random ops' generator import, the profiler, the tensor printer, `device_util.js` whose isMobile
 * moves to a module of its own, and, unless `ssr` (a bundle that runs in Node),
 * `base_side_effects.js`'s import of the Node platform). Throws when such a module no
 * longer has the expected lines or exports (a new tfjs-core version): better a failed build than
 * a trim that silently does nothing.
 */
export function trimTfjsCoreModule(code: string, id: string, { ssr = false }: { ssr?: boolean } = {}): string | null {
  if (!CORE_DIST.test(id)) return null;
  const file = id.split(/[\\/]/).pop()?.split('?')[0];
  if (/[\\/]dist[\\/]base_side_effects\.js/.test(id)) {
    if (ssr) return null;
    if (!PLATFORM_NODE_IMPORT.test(code)) throw new Error(`tfjsCoreTrim: ${id} no longer imports './platforms/platform_node' (another tfjs-core version?)`);
    return code.replace(PLATFORM_NODE_IMPORT, "// tfjsCoreTrim (@neurona/backend-web/vite-plugin): the Node platform is left out of this browser bundle\n");
  }
  if (/[\\/]dist[\\/]ops[\\/]rand_util\.js/.test(id)) {
    if (!SEEDRANDOM_IMPORT.test(code) || (code.match(/seedrandom\.\w+/g) ?? []).some((u) => u !== 'seedrandom.alea')) throw new Error(`tfjsCoreTrim: ${id} no longer uses only seedrandom.alea (another tfjs-core version?)`);
    return code.replace(SEEDRANDOM_IMPORT, "import alea from 'seedrandom/lib/alea.js';\nconst seedrandom = { alea };");
  }
  if (/[\\/]dist[\\/]profiler\.js/.test(id)) return stubFor(id, code, ['Profiler', 'checkComputationForErrors', 'Logger'], PROFILER_STUB);
  if (/[\\/]dist[\\/]tensor_format\.js/.test(id)) return stubFor(id, code, ['tensorToString'], TENSOR_FORMAT_STUB);
  if (/[\\/]dist[\\/]device_util\.js/.test(id)) return splitDeviceUtil(code, id);
  if (file === 'index.js' && /[\\/]dist[\\/]index\.js/.test(id)) {
    if (!REGISTER_OPTIMIZERS.test(code)) throw new Error(`tfjsCoreTrim: ${id} has no registerOptimizers() call (another tfjs-core version?)`);
    return code.replace(REGISTER_OPTIMIZERS, '');
  }
  if (/[\\/]dist[\\/]platforms[\\/]platform_browser\.js/.test(id)) {
    const managers = code.match(STORE_MANAGER) ?? [];
    if (managers.length !== 2) throw new Error(`tfjsCoreTrim: expected 2 model store managers in ${id}, found ${managers.length} (another tfjs-core version?)`);
    return code.replace(STORE_MANAGER, '');
  }
  if (/[\\/]dist[\\/]io[\\/](indexed_db|local_storage)\.js/.test(id)) {
    const routers = code.match(ROUTER_LINE) ?? [];
    if (routers.length !== 2) throw new Error(`tfjsCoreTrim: expected 2 router registrations in ${id}, found ${routers.length} (another tfjs-core version?)`);
    return code.replace(ROUTER_LINE, '');
  }
  return null;
}

/** `stub` in place of `code`, after checking that the module exports exactly `names` (else throws). */
function stubFor(id: string, code: string, names: string[], stub: string): string {
  const found = [...code.matchAll(/^export (?:class|function) (\w+)/gm)].map((m) => m[1]);
  if (found.length !== names.length || names.some((n) => !found.includes(n))) throw new Error(`tfjsCoreTrim: ${id} exports ${found.join(', ')}, expected ${names.join(', ')} (another tfjs-core version?)`);
  return stub;
}

/**
 * `plugins: [tfjsCoreTrim()]` in `vite.config.ts`: the page leaves out tfjs-core's own optimizers
 * and its IndexedDB and localStorage model stores (about 10 KB gzipped), which tfjs-core
 * registers at import and neurona does not use; the five seedrandom generators tfjs-core's random
 * ops never use (they use Alea: the same numbers); and two debugging aids, tfjs's profiler
 * (`tf.profile`, the DEBUG flag: they throw) and its tensor printer (`t.print()` and
 * `t.toString()` give the dtype and shape, not the values), about 4.5 KB more; and it moves
 * `isMobile` (called by the WebGL backend only) out of the page's entry into a module of its own,
 * the same code (1.6 KB on the MNIST page). It gives every tfjs module (tfjs-core's and the
 * backends') the kernel names it imports as local constants, read from tfjs-core's
 * `kernel_names.js` (`inlineKernelNames`), so that module no longer sits in the page's entry with
 * every name a lazy chunk uses (1.9 KB on the MNIST page); and, unless the build is for Node (SSR),
 * it leaves out tfjs-core's Node platform, which registers itself only outside browsers. Only for pages
 * that do not call tfjs's `tf.io`, `tf.train` or `tf.profile` themselves: with it, `tf.io` has no
 * `indexeddb://` or `localstorage://` router.
 */
export function tfjsCoreTrim(): TrimPlugin {
  return {
    name: 'neurona-tfjs-core-trim',
    enforce: 'pre',
    resolveId(id) {
      return id.startsWith(MOBILE) ? id : null;
    },
    load(id) {
      // device_util.js as it is, under the id its trimmed self re-exports isMobile from
      return id.startsWith(MOBILE) ? readFileSync(id.slice(MOBILE.length), 'utf8') : null;
    },
    transform(code, id, options) {
      if (id.startsWith(MOBILE)) return null;
      const trimmed = trimTfjsCoreModule(code, id, { ssr: options?.ssr === true });
      const path = id.split('?')[0];
      const inlined = TFJS_MODULE.test(path) && !TFJS_BUNDLE.test(path) ? inlineKernelNames(trimmed ?? code, id, kernelNamesFor(id)) : null;
      const out = inlined ?? trimmed;
      if (out === null) return null;
      // the stores' modules have no other effect left: a bundler may drop them when unused
      return trimmed !== null && /[\\/]io[\\/]/.test(id) ? { code: out, moduleSideEffects: false } : out;
    },
  };
}
