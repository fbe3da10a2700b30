// A Vite plugin (Node side): the page ships only the kernels its models use. It replaces the
// modules `@neurona/backend-web/webgpu-kernels` and `/wasm-kernels` (every kernel, what the
// providers load by default) with ones that register only the listed kernels; the lists come
// from `recordKernels` of `@neurona/backend-web/kernel-set`, run on the page's model code.
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { trimTfjsWebgpuModule } from './webgpu-trim';
import { engineWithoutTape, gradientsWithoutTape, laterTapeModule } from './tape-later';

export { trimTfjsWebgpuModule };
export { neuronaChunks, assignChunks, checkChunkGroups, checkRollupVersion, DEFAULT_CHUNK_GROUPS, type ChunkGroup, type ChunkGroups, type ChunkGraph, type ChunkModuleInfo, type ChunksPlugin, type ModulePattern } from './chunks';
export { tfjsCoreTrim, trimTfjsCoreModule, type TrimPlugin } from './tfjs-core-trim';
export { inlineKernelNames, kernelNamesFor, type KernelNames } from './kernel-name-constants';
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
  transform(code: string, id: string): string | null;
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
 * `laterTape: true` (needs `later`): tfjs-core's gradient tape goes into that chunk too (the
 * engine's `gradients` method, tape.js, and gradients.js's grad, grads, valueAndGrad(s) and
 * variableGrads, what tf.grad, valueAndGradients and training on the tape run; `customGrad`
 * stays; about 1 KB gzipped): `ensureKernels()` of @neurona/tensor loads it,
 * which @neurona/models awaits before it trains on the tape and which a page must await before its
 * own gradient code anyway. Gradient code run before it throws an error saying so.
 */
export function neuronaRegistrations(registrations: Registrations & { later?: readonly string[]; laterTape?: boolean }): RegistrationsPlugin {
  const { kernels, chainedOps, later, laterTape = false } = registrations;
  if (typeof laterTape !== 'boolean') throw new Error(`neuronaRegistrations: laterTape must be true or false, got ${JSON.stringify(laterTape)}`);
  if (laterTape && !later) throw new Error('neuronaRegistrations: laterTape needs later (the lazy chunk of the deferred gradients, which ensureKernels() loads)');
  const engineFile = realpathSync(join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json')), 'dist', 'engine.js'));
  const gradientsFile = join(dirname(engineFile), 'gradients.js');
  let tapeDeferred = false;
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
      tapeDeferred = false;
    },
    resolveId(id) {
      if (!later) return null;
      if (id === '@neurona/backend-web/later-gradients') return `${LATER_GRADIENTS}entry`;
      return id === LATER_GRADIENTS_MODULE ? `${LATER_GRADIENTS}module` : null;
    },
    load(id) {
      if (id === `${LATER_GRADIENTS}entry`) return `export async function registerLaterGradients() { await import(${JSON.stringify(LATER_GRADIENTS_MODULE)}); }\n`;
      if (id === `${LATER_GRADIENTS}module`) return laterGradientsModule(deferred) + (laterTape ? laterTapeModule(engineFile) : '');
      if (!samePath(id, target)) return null;
      replaced = true;
      return code;
    },
    transform(source, id) {
      // only the files themselves (the deferred chunk imports gradients.js under a query)
      if (!laterTape || id.includes('?')) return null;
      if (samePath(id, gradientsFile)) return gradientsWithoutTape(source, id);
      if (!samePath(id, engineFile)) return null;
      tapeDeferred = true;
      return engineWithoutTape(source, id);
    },
    generateBundle() {
      if (laterTape && !tapeDeferred) this.error(`neuronaRegistrations: laterTape: ${engineFile} (tfjs-core's engine) was not in the bundle; is another copy of tfjs-core bundled?`);
      if (!replaced) this.error(`neuronaRegistrations: ${target} (@neurona/tensor's gradient and chained-op registrations) was not in the bundle; is another copy of @neurona/tensor bundled?`);
    },
  };
}
