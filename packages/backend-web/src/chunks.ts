// A Vite plugin (Node side): fewer, larger JavaScript files for a page's visit. Rollup splits the
// lazy code of a page by which dynamic imports reach each module, so a WebGPU visit fetched the
// backend, its kernels, the GPU plan and a handful of 0.2–0.8 KB helper chunks one by one; every
// file costs its own gzip context and import/export lists. This plugin names groups of lazy roots
// that a visit always loads together (`roots`), and lazy roots it loads only after them (`after`),
// and puts the code only those reach into one chunk per group.
//
// The rule must never make a visit load code it did not load before, so it errs on the side of
// leaving a module where Rollup puts it: a module joins a group's chunk only when every entry that
// can reach it (over-approximated: through every static import, re-exports included) is one of the
// group's roots or followers, and a root reaches it through code the bundle keeps (an
// under-approximation: only through modules that tree shaking kept).

/** The part of Rollup's module info the rule reads. */
export interface ChunkModuleInfo {
  /** The module's static imports (ids). */
  importedIds: readonly string[];
  /** The module's dynamic imports (ids). */
  dynamicallyImportedIds: readonly string[];
  /** Whether the module is an entry of the build (the page's `index.html` script, for example). */
  isEntry: boolean;
  /** Whether the module is outside the bundle. */
  isExternal: boolean;
  /** Whether tree shaking kept any of the module's code (`null`: not known yet, taken as kept). */
  isIncluded: boolean | null;
}

/** What the rule is given of the module graph (`manualChunks`' second argument, as Rollup hands it). */
export interface ChunkGraph {
  /** Every module id of the build. */
  getModuleIds(): IterableIterator<string> | Iterable<string>;
  /** What Rollup knows of module `id`, or null for an unknown id. */
  getModuleInfo(id: string): ChunkModuleInfo | null;
}

/** A module id pattern: a RegExp tested on the id, or a string the id ends with. */
export type ModulePattern = string | RegExp;

/** Lazy roots a visit loads together, and those it loads only after them. */
export interface ChunkGroup {
  /**
   * Dynamically imported modules that a visit loads either all together or none of (the backend's
   * kernels and the code that trains on it). Their code, and what only they and `after` reach, goes
   * into one chunk.
   */
  roots: readonly ModulePattern[];
  /**
   * Dynamically imported modules loaded only on visits that already loaded the roots (kernels
   * registered later, for a model the first visit does not train): what they share with the roots
   * joins the roots' chunk; what only they reach stays in their own chunks.
   */
  after?: readonly ModulePattern[];
}

/** Groups by chunk name (the name becomes the file name's start: `webgpu-<hash>.js`). */
export type ChunkGroups = Readonly<Record<string, ChunkGroup>>;

const NEURONA_KERNELS = '\0neurona-kernels:';
// @neurona/models loads the WebGPU plan only on the webgpu backend, and the plan loads the rest
const GPU_COMPILE = /[\\/]models[\\/]dist[\\/]compiled[\\/]gpu-compile\.js$/;
const GPU_DATASET = /[\\/]models[\\/]dist[\\/]compiled[\\/]gpu-dataset\.js$/;
const KERNELS_WEBGPU = /[\\/]kernels[\\/]dist[\\/]webgpu\.js$/;
const WGSL_EXTRAS = /[\\/]kernels[\\/]dist[\\/]wgsl-extras-\w+\.js$/;

/**
 * The groups of a page built with `neuronaKernels` (@neurona/backend-web/vite-plugin) and
 * @neurona/models. `webgpu`: the WebGPU backend and its kernels (what `neuronaKernels` puts in
 * `@neurona/backend-web/webgpu-kernels`); after it, the deferred WebGPU kernels (`later`, `tape`)
 * and the WebGPU plan, which @neurona/models loads only on the webgpu backend.
 * `webgpu-plan`: @neurona/models' `compiled/gpu-compile` (the WebGPU plan, loaded when a model
 * trains or evaluates on WebGPU); after it, @neurona/kernels' `webgpu` and the plan's dataset and
 * extra shaders (loaded by the plan when it compiles). `wasm`: the wasm backend and its kernels.
 * @neurona/kernels itself is in no group: the cpu backend loads it too.
 */
export const DEFAULT_CHUNK_GROUPS: ChunkGroups = {
  webgpu: { roots: [`${NEURONA_KERNELS}webgpu`], after: [`${NEURONA_KERNELS}webgpu-tape`, `${NEURONA_KERNELS}webgpu-later`, GPU_COMPILE, KERNELS_WEBGPU, GPU_DATASET, WGSL_EXTRAS] },
  'webgpu-plan': { roots: [GPU_COMPILE], after: [KERNELS_WEBGPU, GPU_DATASET, WGSL_EXTRAS] },
  wasm: { roots: [`${NEURONA_KERNELS}wasm`] },
};

const matches = (id: string, p: ModulePattern): boolean => (typeof p === 'string' ? id.endsWith(p) : p.test(id));

/** The modules `from` reaches by static imports, itself included; `through` says which modules the walk may pass. */
function staticClosure(graph: ChunkGraph, from: string, through: (id: string) => boolean): Set<string> {
  const seen = new Set([from]);
  for (const id of seen) {
    if (id !== from && !through(id)) continue;
    for (const dep of graph.getModuleInfo(id)?.importedIds ?? []) {
      const info = graph.getModuleInfo(dep);
      if (info && !info.isExternal) seen.add(dep);
    }
  }
  return seen;
}

/** Which entries (static and dynamic) reach each module by static imports. */
function reachedBy(graph: ChunkGraph, entries: readonly string[], through: (id: string) => boolean): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const e of entries) {
    for (const id of staticClosure(graph, e, through)) {
      const set = by.get(id) ?? new Set<string>();
      set.add(e);
      by.set(id, set);
    }
  }
  return by;
}

const isPatterns = (l: unknown): boolean => Array.isArray(l) && l.every((p) => typeof p === 'string' || p instanceof RegExp);

/** Throws unless `groups` is a record of `{ roots, after? }` with patterns. */
export function checkChunkGroups(groups: unknown): asserts groups is ChunkGroups {
  if (typeof groups !== 'object' || groups === null || Array.isArray(groups)) throw new Error(`neuronaChunks: expected { name: { roots, after? } }, got ${JSON.stringify(groups)}`);
  for (const [name, g] of Object.entries(groups as Record<string, unknown>)) {
    const group = g as Partial<ChunkGroup> | null;
    if (!/^[\w-]+$/.test(name)) throw new Error(`neuronaChunks: a group name becomes a file name: letters, digits, - and _ only, got "${name}"`);
    if (typeof group !== 'object' || group === null || !isPatterns(group.roots) || !group.roots?.length) throw new Error(`neuronaChunks: group "${name}" needs roots, a non-empty list of module id patterns (strings or RegExps)`);
    if (group.after !== undefined && !isPatterns(group.after)) throw new Error(`neuronaChunks: group "${name}": after must be a list of module id patterns (strings or RegExps)`);
    const extra = Object.keys(group).filter((k) => k !== 'roots' && k !== 'after');
    if (extra.length) throw new Error(`neuronaChunks: group "${name}" has unknown keys ${extra.join(', ')}; expected roots and after`);
  }
}

/**
 * The chunk each module goes into (module id → group name) for `groups` on `graph`; modules not
 * in the map stay where Rollup puts them. A module joins the first group (in the order of
 * `groups`) one of whose roots reaches it through modules that tree shaking kept, and for which
 * every entry that reaches it through any static import is one of the group's roots or followers.
 * A lazy root may follow another group's roots (the WebGPU plan follows the WebGPU backend) but
 * be the root of one group only; a pattern that matches no module is ignored.
 */
export function assignChunks(graph: ChunkGraph, groups: ChunkGroups): Map<string, string> {
  checkChunkGroups(groups);
  const ids = [...graph.getModuleIds()].filter((id) => graph.getModuleInfo(id)?.isExternal === false);
  const imported = new Set(ids.flatMap((id) => graph.getModuleInfo(id)?.dynamicallyImportedIds ?? []));
  const entries = ids.filter((id) => graph.getModuleInfo(id)?.isEntry || imported.has(id));
  const rootOf = new Map<string, string>();
  const plan = Object.entries(groups).map(([name, g]) => {
    const roots = entries.filter((e) => g.roots.some((p) => matches(e, p)));
    for (const r of roots) {
      const other = rootOf.get(r);
      if (other !== undefined) throw new Error(`neuronaChunks: ${r} is a root of the groups "${other}" and "${name}"; a lazy root is the root of one group (it may follow others)`);
      rootOf.set(r, name);
    }
    const members = new Set([...roots, ...entries.filter((e) => (g.after ?? []).some((p) => matches(e, p)))]);
    return { name, roots, members };
  });
  // over-approximated: which entries reach a module through any static import (re-exports included)
  const reaching = reachedBy(graph, entries, () => true);
  const kept = (id: string): boolean => graph.getModuleInfo(id)?.isIncluded !== false;
  const out = new Map<string, string>();
  for (const { name, roots, members } of plan) {
    // under-approximated: the modules a root reaches through code the bundle keeps
    for (const id of reachedBy(graph, roots, kept).keys()) {
      if (out.has(id) || !kept(id)) continue;
      if ([...(reaching.get(id) ?? [])].every((e) => members.has(e))) out.set(id, name);
    }
  }
  return out;
}

/** The part of Vite's plugin interface `neuronaChunks` uses. */
export interface ChunksPlugin {
  name: string;
  config(user?: { build?: { rollupOptions?: { output?: unknown } } }): { build: { rollupOptions: { output: { manualChunks: (id: string, api: ChunkGraph) => string | undefined; onlyExplicitManualChunks: boolean } } } };
  buildStart(this: { meta: { rollupVersion: string }; error(message: string): never }): void;
}

/** Throws unless Rollup `version` has `output.onlyExplicitManualChunks` (4.52 and newer). */
export function checkRollupVersion(version: string): void {
  const [major, minor] = version.split('.').map(Number);
  if (!(major > 4 || (major === 4 && minor >= 52))) throw new Error(`neuronaChunks needs Rollup 4.52 or newer (output.onlyExplicitManualChunks: without it a grouped module's imports are dragged into its chunk), got Rollup ${version}`);
}

/**
 * `plugins: [neuronaChunks()]` in `vite.config.ts`: the lazy code a visit always loads together
 * comes in one file per group instead of many small ones, so less is lost to per-file gzip
 * overhead (`DEFAULT_CHUNK_GROUPS`: the WebGPU backend with its kernels, the WebGPU plan, the wasm
 * backend with its kernels). A module joins a group's chunk only when nothing outside the group
 * can reach it, so no visit downloads code it did not before; what the page's entry or other lazy
 * code also uses stays where Rollup puts it. Pass your own groups for other lazy roots: `roots`
 * must be loaded together on every visit that loads one of them, `after` only on visits that
 * loaded the roots first. The bundler cannot check either: it is what the page's code does.
 * Sets Rollup's `output.manualChunks` (a page with its own cannot use this plugin) and
 * `output.onlyExplicitManualChunks` (Rollup 4.52+: the modules a grouped module imports stay
 * where Rollup puts them instead of being dragged into the group).
 */
export function neuronaChunks(groups: ChunkGroups = DEFAULT_CHUNK_GROUPS): ChunksPlugin {
  checkChunkGroups(groups);
  // manualChunks is called once per module, in one pass over the graph: compute once per pass
  let cache: { graph: ChunkGraph['getModuleInfo']; chunks: Map<string, string> } | null = null;
  const manualChunks = (id: string, api: ChunkGraph): string | undefined => {
    if (cache?.graph !== api.getModuleInfo) cache = { graph: api.getModuleInfo, chunks: assignChunks(api, groups) };
    return cache.chunks.get(id);
  };
  return {
    name: 'neurona-chunks',
    config(user) {
      // Vite would let this plugin's manualChunks silently replace the page's own
      const output = user?.build?.rollupOptions?.output;
      if (Array.isArray(output) || (typeof output === 'object' && output !== null && 'manualChunks' in output)) {
        throw new Error('neuronaChunks sets build.rollupOptions.output.manualChunks itself: remove the page\'s own manualChunks (or its list of outputs), or leave neuronaChunks out');
      }
      return { build: { rollupOptions: { output: { manualChunks, onlyExplicitManualChunks: true } } } };
    },
    buildStart() {
      try {
        checkRollupVersion(this.meta.rollupVersion);
      } catch (err) {
        this.error((err as Error).message);
      }
    },
  };
}
