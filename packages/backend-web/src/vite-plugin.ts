// A Vite plugin (Node side): the page ships only the kernels its models use. It replaces the
// modules `@neurona/backend-web/webgpu-kernels` and `/wasm-kernels` (every kernel, what the
// providers load by default) with ones that register only the listed kernels; the lists come
// from `recordKernels` of `@neurona/backend-web/kernel-set`, run on the page's model code.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { trimTfjsWebgpuModule } from './webgpu-trim';

export { trimTfjsWebgpuModule };
export { neuronaChunks, assignChunks, checkChunkGroups, checkRollupVersion, DEFAULT_CHUNK_GROUPS, type ChunkGroup, type ChunkGroups, type ChunkGraph, type ChunkModuleInfo, type ChunksPlugin, type ModulePattern } from './chunks';
import { backendUtilFile, cpuSharedStubs, kernelModule, laterGradientsModule, laterKernelModule, registrationsModule, treeShakableBackendUtil, treeShakableCpuShared, webgpuFlagsWithoutCpuForward, type KernelSetBackend, type Registrations } from './kernel-set';

/**
 * Which kernels to ship, per backend; a backend left out keeps all of its kernels. `later`: WebGPU
 * kernels left out of the backend's chunk and registered by `loadLaterKernels()` of
 * `@neurona/backend-web` (a lazy chunk), for models a page's first visit does not run; `later.tape`
 * those the tape needs (a chunk of their own, which `ensureKernels()` of @neurona/tensor, awaited
 * by @neurona/models before anything runs on the tape, registers too).
 */
export type KernelLists = Partial<Record<KernelSetBackend, readonly string[]>> & {
  later?: { webgpu?: readonly string[]; tape?: readonly string[] };
  /**
   * `false`: the WebGPU backend runs every kernel on the GPU (tfjs's `WEBGPU_CPU_FORWARD` flag off
   * by default), so tfjs-backend-cpu's helpers, which its kernels call only to run small
   * CPU-resident inputs on the CPU, are left out of the page (stubs that throw saying so if the
   * flag is turned back on). Default `true`: tfjs's behaviour, the helpers the kernels use kept.
   */
  webgpuCpuForward?: boolean;
  /**
   * `true`: tfjs-backend-webgpu's synchronous GPU readback (`dataSync()` of a tensor on the GPU
   * throws: read it with `await t.data()`, as neurona does on WebGPU), its timer (`tf.time()`) and,
   * unless a list has FromPixels, its texture manager are left out (`trimTfjsWebgpuModule`).
   */
  trimWebgpu?: boolean;
};

/** The part of Vite's plugin interface this plugin uses (no dependency on Vite's types). */
export interface KernelPlugin {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
  transform(code: string, id: string): string | null;
}

// the modules of tfjs's WebGPU, WebGL, wasm and cpu backends (their ESM files, not the bundles)
const BACKEND_MODULE = /@tensorflow[\\/]tfjs-backend-(webgpu|webgl|wasm|cpu)[\\/]dist[\\/].*\.js$/;

const PREFIX = '\0neurona-kernels:';
// the deferred WebGPU kernels' module, imported on demand by the replaced later-kernels module
const LATER_WEBGPU = 'neurona-kernels:webgpu-later';
// the deferred WebGPU kernels the tape needs, a chunk of their own
const TAPE_WEBGPU = 'neurona-kernels:webgpu-tape';

/** `@neurona/backend-web/later-kernels` in a bundle with deferred WebGPU kernels. */
function laterEntry(webgpuModule: string, tapeModule: string): string {
  const core = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core').replace(/[\\/]dist[\\/].*$/, '/dist/index.js');
  return [
    `import { findBackendFactory } from ${JSON.stringify(core)};`,
    '// the WebGPU backend registers its factory when it loads: only then are its kernels wanted',
    `export async function registerTapeKernels() { if (findBackendFactory('webgpu')) await import(${JSON.stringify(tapeModule)}); }`,
    `export async function registerLaterKernels() { if (findBackendFactory('webgpu')) await Promise.all([import(${JSON.stringify(webgpuModule)}), import(${JSON.stringify(tapeModule)})]); }`,
    '',
  ].join('\n');
}

/**
 * `plugins: [neuronaKernels({ webgpu: kernels })]` in `vite.config.ts`: a WebGPU visit then
 * downloads only those WebGPU kernels. A kernel the page turns out to need and that is not in
 * the list fails at run time with tfjs's "Kernel 'X' not registered for backend 'webgpu'":
 * record the list from the page's real model code, and test the page on that backend. With
 * `later: { webgpu }` those WebGPU kernels go into a lazy chunk that `loadLaterKernels()` of
 * `@neurona/backend-web` registers (call it before running the model that needs them); with
 * `later: { tape }` those go into a lazy chunk of their own that `ensureKernels()` of
 * `@neurona/tensor` registers (awaited by @neurona/models before anything runs on the tape), and
 * `loadLaterKernels()` too: a visit whose models train, validate and predict on a compiled plan
 * never downloads it.
 */
export function neuronaKernels(lists: KernelLists): KernelPlugin {
  const { later, webgpuCpuForward = true, trimWebgpu = false, ...eager } = lists;
  if (typeof trimWebgpu !== 'boolean') throw new Error(`neuronaKernels: trimWebgpu must be true or false, got ${JSON.stringify(trimWebgpu)}`);
  if (trimWebgpu && !eager.webgpu) throw new Error('neuronaKernels: trimWebgpu needs a webgpu list (the kernels registered when the backend loads)');
  // the texture manager serves the FromPixels kernel's imported textures only
  const keepTextures = [eager.webgpu, later?.webgpu, later?.tape].some((l) => l?.includes('FromPixels'));
  if (typeof webgpuCpuForward !== 'boolean') throw new Error(`neuronaKernels: webgpuCpuForward must be true or false, got ${JSON.stringify(webgpuCpuForward)}`);
  if (!webgpuCpuForward && !eager.webgpu) throw new Error('neuronaKernels: webgpuCpuForward: false needs a webgpu list (the kernels registered when the backend loads)');
  for (const [backend, names] of Object.entries(eager)) {
    if (backend !== 'webgpu' && backend !== 'wasm') throw new Error(`neuronaKernels: unknown backend "${backend}"; expected 'webgpu' or 'wasm'`);
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new Error(`neuronaKernels: ${backend} must be a list of kernel names`);
  }
  const laterKeys = later === undefined ? [] : Object.keys(later);
  if (later !== undefined && (typeof later !== 'object' || later === null || laterKeys.some((k) => k !== 'webgpu' && k !== 'tape'))) {
    throw new Error(`neuronaKernels: later takes { webgpu: [...], tape: [...] } (only WebGPU kernels can be registered after their backend started), got ${JSON.stringify(later)}`);
  }
  for (const key of ['webgpu', 'tape'] as const) {
    const names = later?.[key];
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) throw new Error(`neuronaKernels: later.${key} must be a list of kernel names`);
    if (names !== undefined && !eager.webgpu) throw new Error(`neuronaKernels: later.${key} needs a webgpu list (the kernels registered when the backend loads)`);
  }
  const laterWebgpu = later?.webgpu ?? later?.tape;
  // a kernel in the backend's list is registered with the backend; one in both later lists, with the tape's
  const tape = (later?.tape ?? []).filter((n) => !eager.webgpu?.includes(n));
  const deferred = (later?.webgpu ?? []).filter((n) => !eager.webgpu?.includes(n) && !tape.includes(n));
  const backendUtil = backendUtilFile();
  return {
    name: 'neurona-kernels',
    enforce: 'pre',
    resolveId(id) {
      if (laterWebgpu && (id === '@neurona/backend-web/later-kernels' || id === LATER_WEBGPU || id === TAPE_WEBGPU)) return `${PREFIX}${id === LATER_WEBGPU ? 'webgpu-later' : id === TAPE_WEBGPU ? 'webgpu-tape' : 'later'}`;
      const m = /^@neurona\/backend-web\/(webgpu|wasm)-kernels$/.exec(id);
      return m && eager[m[1] as KernelSetBackend] ? `${PREFIX}${m[1]}` : null;
    },
    load(id) {
      // with a WebGPU kernel list, the cpu helpers those kernels use, not all of them
      // (none with webgpuCpuForward: false: the kernels never run on the CPU)
      if (lists.webgpu && /tfjs-backend-webgpu[\\/]dist[\\/]kernel_utils[\\/]shared\.js$/.test(id)) {
        const source = readFileSync(id, 'utf8');
        return webgpuCpuForward ? treeShakableCpuShared(source) : cpuSharedStubs(source);
      }
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      if (name === 'later') return laterEntry(LATER_WEBGPU, TAPE_WEBGPU);
      if (name === 'webgpu-later') return laterKernelModule('webgpu', deferred);
      if (name === 'webgpu-tape') return laterKernelModule('webgpu', tape);
      const backend = name as KernelSetBackend;
      return kernelModule(backend, eager[backend] ?? []);
    },
    transform(code, id) {
      if (!webgpuCpuForward && /tfjs-backend-webgpu[\\/]dist[\\/]flags_webgpu\.js$/.test(id.split('?')[0])) return webgpuFlagsWithoutCpuForward(code);
      if (trimWebgpu) {
        const trimmed = trimTfjsWebgpuModule(code, id, { keepTextures });
        if (trimmed !== null) return treeShakableBackendUtil(trimmed, backendUtil) ?? trimmed;
      }
      // only the backend_util helpers the shipped kernels use, not all of them
      if (!BACKEND_MODULE.test(id.split('?')[0]) || /[\\/]tf-backend-\w+(\.es2017)?(\.min)?\.js$/.test(id)) return null;
      return treeShakableBackendUtil(code, backendUtil);
    },
  };
}

/** The part of Vite's plugin interface `neuronaRegistrations` uses. */
export interface RegistrationsPlugin {
  name: string;
  enforce: 'pre';
  buildStart(): void;
  resolveId(id: string): string | null;
  load(id: string): string | null;
  generateBundle(this: { error(message: string): never }): void;
}

/** @neurona/tensor's `dist/register-all.js` (every gradient and chained op), as a bundler sees it. */
function registerAllFile(): string {
  const req = createRequire(import.meta.url);
  const file = join(dirname(req.resolve('@neurona/tensor/package.json')), 'dist', 'register-all.js');
  return realpathSync(file);
}

const LATER_GRADIENTS = '\0neurona-later-gradients:';
// the deferred gradients' module, imported on demand by the replaced later-gradients module
const LATER_GRADIENTS_MODULE = 'neurona-registrations:later';

const samePath = (a: string, b: string): boolean => a.split('?')[0].replace(/\\/g, '/') === b.replace(/\\/g, '/');

/**
 * `plugins: [neuronaRegistrations({ kernels, chainedOps })]` in `vite.config.ts`: the page
 * registers only the gradients of the kernels it runs and the chained ops (`t.argMax()`) its
 * code calls, instead of all of tfjs-core's (@neurona/tensor's `register-all`, about 25 KB
 * gzipped with the ops they import). Record both with `recordPageUse` of
 * `@neurona/backend-web/kernel-set` on the page's real model code: a gradient left out fails with
 * tfjs's "gradient function not found", a chained op with "x.foo is not a function". The build
 * fails when @neurona/tensor's `register-all` was not in the bundle (the plugin would do nothing).
 * `later`: kernels whose gradients go into a lazy chunk instead, registered by `loadLaterKernels()`
 * of `@neurona/backend-web` (those of a model the page's first visit does not train).
 */
export function neuronaRegistrations(registrations: Registrations & { later?: readonly string[] }): RegistrationsPlugin {
  const { kernels, chainedOps, later } = registrations;
  for (const [key, names] of [['kernels', kernels], ['chainedOps', chainedOps], ['later', later ?? []]] as const) {
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new Error(`neuronaRegistrations: ${key} must be a list of names`);
  }
  const code = registrationsModule({ kernels, chainedOps }); // fails now on an unknown chained op
  // a kernel in both lists has its gradient registered at import
  const deferred = (later ?? []).filter((k) => !kernels.includes(k));
  const target = registerAllFile();
  let replaced = false;
  return {
    name: 'neurona-registrations',
    enforce: 'pre',
    buildStart() {
      replaced = false;
    },
    resolveId(id) {
      if (!later) return null;
      if (id === '@neurona/backend-web/later-gradients') return `${LATER_GRADIENTS}entry`;
      return id === LATER_GRADIENTS_MODULE ? `${LATER_GRADIENTS}module` : null;
    },
    load(id) {
      if (id === `${LATER_GRADIENTS}entry`) return `export async function registerLaterGradients() { await import(${JSON.stringify(LATER_GRADIENTS_MODULE)}); }\n`;
      if (id === `${LATER_GRADIENTS}module`) return laterGradientsModule(deferred);
      if (!samePath(id, target)) return null;
      replaced = true;
      return code;
    },
    generateBundle() {
      if (!replaced) this.error(`neuronaRegistrations: ${target} (@neurona/tensor's gradient and chained-op registrations) was not in the bundle; is another copy of @neurona/tensor bundled?`);
    },
  };
}

/** The part of Vite's plugin interface `tfjsCoreTrim` uses. */
export interface TrimPlugin {
  name: string;
  enforce: 'pre';
  resolveId(id: string): string | null;
  load(id: string): string | null;
  transform(code: string, id: string): { code: string; moduleSideEffects: false } | string | null;
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

/**
 * The code of a tfjs-core module without those registrations, or null when `id` is not one of
 * the modules concerned (the index, the two stores, the browser platform that lists them, the
 * random ops' generator import, the profiler, the tensor printer, `device_util.js` whose isMobile
 * moves to a module of its own). Throws when such a module no
 * longer has the expected lines or exports (a new tfjs-core version): better a failed build than
 * a trim that silently does nothing.
 */
export function trimTfjsCoreModule(code: string, id: string): string | null {
  if (!CORE_DIST.test(id)) return null;
  const file = id.split(/[\\/]/).pop()?.split('?')[0];
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
 * the same code (1.6 KB on the MNIST page). Only for pages
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
    transform(code, id) {
      if (id.startsWith(MOBILE)) return null;
      const trimmed = trimTfjsCoreModule(code, id);
      if (trimmed === null) return null;
      // the stores' modules have no other effect left: a bundler may drop them when unused
      return /[\\/]io[\\/]/.test(id) ? { code: trimmed, moduleSideEffects: false } : trimmed;
    },
  };
}
