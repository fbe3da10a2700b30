// neuronaChunks (vite-plugin): which lazy modules share a file. The rule on small synthetic module
// graphs (what Rollup's manualChunks hands it), then on a real Vite bundle of a scratch page with a
// WebGPU-like and a wasm-like lazy path: a module only the first path reaches must never land in a
// file the second path loads.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { assignChunks, checkChunkGroups, checkRollupVersion, DEFAULT_CHUNK_GROUPS, neuronaChunks, type ChunkGraph, type ChunkGroups, type ChunkModuleInfo } from '../src/vite-plugin';

interface Node {
  imports?: string[];
  dynamic?: string[];
  entry?: boolean;
  /** false: tree shaking kept none of its code (a re-export barrel) */
  kept?: boolean;
}

/** A module graph as Rollup's `manualChunks` API shows it. */
function graph(nodes: Record<string, Node>): ChunkGraph {
  const info = (id: string): ChunkModuleInfo | null =>
    nodes[id] ? { importedIds: nodes[id].imports ?? [], dynamicallyImportedIds: nodes[id].dynamic ?? [], isEntry: nodes[id].entry ?? false, isExternal: false, isIncluded: nodes[id].kept ?? true } : null;
  return { getModuleIds: () => Object.keys(nodes)[Symbol.iterator](), getModuleInfo: info };
}

// main loads one backend (gpu or wasm); the gpu path's deferred kernels (tape) load only after gpu
const page = graph({
  main: { entry: true, imports: ['core', 'barrel'], dynamic: ['gpu', 'wasm', 'tape', 'plan'] },
  core: {},
  // re-exports only: main "reaches" what it re-exports, even what main does not use
  barrel: { imports: ['gpu-c', 'helper'], kept: false },
  'gpu-c': {},
  helper: {},
  gpu: { imports: ['gpu-a', 'shared', 'core', 'gpu-c', 'gpu-barrel'] },
  'gpu-a': { imports: ['gpu-b'] },
  'gpu-b': {},
  // a root reaches tape-kernel only through a module tree shaking dropped: not the root's code
  'gpu-barrel': { imports: ['tape-kernel'], kept: false },
  'tape-kernel': {},
  shared: {},
  wasm: { imports: ['wasm-a', 'shared'] },
  'wasm-a': {},
  tape: { imports: ['gpu-a', 'tape-only', 'tape-kernel'] },
  'tape-only': {},
  plan: { imports: ['plan-a', 'gpu-b'] },
  'plan-a': {},
});
const groups: ChunkGroups = { gpu: { roots: ['gpu'], after: ['tape', 'plan'] }, 'gpu-plan': { roots: ['plan'] }, wasm: { roots: [/^wasm$/] } };

describe('assignChunks', () => {
  const chunks = assignChunks(page, groups);
  const chunkOf = (id: string) => chunks.get(id) ?? null;

  it('puts a root and what only its group reaches in one chunk', () => {
    expect(['gpu', 'gpu-a', 'gpu-b'].map(chunkOf)).toEqual(['gpu', 'gpu', 'gpu']);
    expect(['wasm', 'wasm-a'].map(chunkOf)).toEqual(['wasm', 'wasm']);
    // a follower's own code, and the next group's root and its own code
    expect(['tape', 'tape-only'].map(chunkOf)).toEqual([null, null]);
    expect(['plan', 'plan-a'].map(chunkOf)).toEqual(['gpu-plan', 'gpu-plan']);
  });

  it('leaves alone what another group, the entry or a barrel of the entry reaches', () => {
    expect(chunkOf('shared')).toBeNull(); // gpu and wasm
    expect(chunkOf('core')).toBeNull(); // the entry
    expect(chunkOf('gpu-c')).toBeNull(); // the entry's barrel re-exports it
    expect(chunkOf('main')).toBeNull();
  });

  it('does not pull a follower\'s module into the root\'s chunk through code tree shaking dropped', () => {
    expect(chunkOf('tape-kernel')).toBeNull();
    expect(chunkOf('gpu-barrel')).toBeNull();
  });

  it('never puts in a group a module that an entry outside the group reaches', () => {
    const reach = (from: string) => {
      const seen = new Set([from]);
      for (const id of seen) for (const d of page.getModuleInfo(id)?.importedIds ?? []) seen.add(d);
      return seen;
    };
    const members: Record<string, string[]> = { gpu: ['gpu', 'tape', 'plan'], 'gpu-plan': ['plan'], wasm: ['wasm'] };
    for (const [id, group] of chunks) {
      for (const entry of ['main', 'gpu', 'wasm', 'tape', 'plan']) if (reach(entry).has(id)) expect(members[group], `${id} in ${group}, reached by ${entry}`).toContain(entry);
    }
  });

  it('changes nothing without groups, or when no pattern matches', () => {
    expect(assignChunks(page, {}).size).toBe(0);
    expect(assignChunks(page, { webgpu: { roots: [/nothing/] } }).size).toBe(0);
  });

  it('refuses a root of two groups and malformed groups, saying what it expected', () => {
    expect(() => assignChunks(page, { a: { roots: ['gpu'] }, b: { roots: [/^gpu$/] } })).toThrow(/gpu is a root of the groups "a" and "b"/);
    expect(() => checkChunkGroups([])).toThrow(/expected \{ name: \{ roots, after\? \} \}/);
    expect(() => checkChunkGroups({ a: { roots: [] } })).toThrow(/group "a" needs roots, a non-empty list/);
    expect(() => checkChunkGroups({ a: { roots: [3] } })).toThrow(/group "a" needs roots/);
    expect(() => checkChunkGroups({ a: { roots: ['x'], after: 'y' } })).toThrow(/group "a": after must be a list/);
    expect(() => checkChunkGroups({ a: { roots: ['x'], later: [] } })).toThrow(/unknown keys later/);
    expect(() => checkChunkGroups({ 'a/b': { roots: ['x'] } })).toThrow(/a group name becomes a file name/);
    expect(() => neuronaChunks({ a: { roots: [] } })).toThrow(/needs roots/);
    expect(() => checkChunkGroups(DEFAULT_CHUNK_GROUPS)).not.toThrow();
  });
});

describe('neuronaChunks', () => {
  it('needs Rollup 4.52 (onlyExplicitManualChunks) and sets both output options', () => {
    expect(() => checkRollupVersion('4.51.3')).toThrow(/needs Rollup 4.52 or newer .* got Rollup 4.51.3/);
    expect(() => checkRollupVersion('3.29.0')).toThrow(/Rollup 3.29.0/);
    for (const v of ['4.52.0', '4.68.8', '5.0.0']) expect(() => checkRollupVersion(v)).not.toThrow();
    const output = neuronaChunks().config().build.rollupOptions.output;
    expect(output.onlyExplicitManualChunks).toBe(true);
    // a page's own manualChunks would be replaced without a word: refused
    expect(() => neuronaChunks().config({ build: { rollupOptions: { output: { manualChunks: () => undefined } } } })).toThrow(/sets build.rollupOptions.output.manualChunks itself/);
    expect(() => neuronaChunks().config({ build: { rollupOptions: { output: [{}, {}] } } })).toThrow(/its list of outputs/);
    expect(neuronaChunks().config({ build: { rollupOptions: { output: { format: 'es' } } } }).build.rollupOptions.output.onlyExplicitManualChunks).toBe(true);
    // one assignment per graph, handed out per module
    expect(output.manualChunks('gpu-a', page)).toBeUndefined(); // the default groups name neurona's modules only
  });

  describe('on a Vite bundle', () => {
    let dir = '';
    const files: Record<string, string> = {
      'index.html': '<!doctype html><script type="module" src="./main.js"></script>',
      // which backend is a run-time choice: a visit loads gpu.js (then maybe later.js) or wasm.js
      'main.js': [
        "import { core } from './core.js';",
        "const q = globalThis.location?.search ?? '';",
        "if (q.includes('gpu')) import('./gpu.js').then((m) => console.log(core(), m.run()));",
        "else import('./wasm.js').then((m) => console.log(core(), m.run()));",
        "if (q.includes('later')) import('./later.js').then((m) => console.log(m.run()));",
      ].join('\n'),
      'core.js': "export const core = () => 'CORE_MARK';",
      'gpu.js': "import { a } from './gpu-a.js'; import { s } from './shared.js'; import { core } from './core.js'; export const run = () => a() + s() + core() + 'GPU_ROOT_MARK';",
      'gpu-a.js': "import { b } from './gpu-b.js'; export const a = () => b() + 'GPU_A_MARK';",
      'gpu-b.js': "export const b = () => 'GPU_B_MARK';",
      'shared.js': "export const s = () => 'SHARED_MARK';",
      'wasm.js': "import { w } from './wasm-a.js'; import { s } from './shared.js'; export const run = () => w() + s() + 'WASM_ROOT_MARK';",
      'wasm-a.js': "export const w = () => 'WASM_A_MARK';",
      // loaded only after gpu.js: shares gpu-a with it, and has code of its own
      'later.js': "import { a } from './gpu-a.js'; import { l } from './later-only.js'; export const run = () => a() + l() + 'LATER_MARK';",
      'later-only.js': "export const l = () => 'LATER_ONLY_MARK';",
    };
    type Chunk = { fileName: string; code: string; imports: string[]; isEntry: boolean };
    const bundle = async (plugins: unknown[]): Promise<Chunk[]> => {
      const out = (await build({ root: dir, logLevel: 'error', configFile: false, plugins: plugins as never, build: { write: false, target: 'es2022', minify: false, modulePreload: false } })) as { output: (Chunk & { type: string })[] };
      return out.output.filter((o) => o.type === 'chunk');
    };
    /** The marks a visit that dynamically imports the chunk holding `root` executes: that chunk and its static imports. */
    const loads = (chunks: Chunk[], rootMark: string): string => {
      const byName = new Map(chunks.map((c) => [c.fileName, c]));
      const seen = new Set([chunks.find((c) => c.code.includes(rootMark))!.fileName]);
      for (const f of seen) for (const i of byName.get(f)?.imports ?? []) seen.add(i);
      return [...seen].map((f) => byName.get(f)!.code).join('\n');
    };
    const marks = (code: string) => [...new Set(code.match(/[A-Z_]+_MARK/g) ?? [])].sort((a, b) => a.localeCompare(b));

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'neurona-chunks-'));
      for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('merges the gpu path into one file and keeps every visit\'s code the same', { timeout: 60_000 }, async () => {
      const plain = await bundle([]);
      const grouped = await bundle([neuronaChunks({ gpu: { roots: [/[\\/]gpu\.js$/], after: [/[\\/]later\.js$/] }, wasm: { roots: [/[\\/]wasm\.js$/] } })]);
      // what each lazy path loads is the same code with and without the plugin...
      for (const root of ['GPU_ROOT_MARK', 'WASM_ROOT_MARK']) expect(marks(loads(grouped, root))).toEqual(marks(loads(plain, root)));
      expect(marks(loads(grouped, 'WASM_ROOT_MARK'))).toEqual(['SHARED_MARK', 'WASM_A_MARK', 'WASM_ROOT_MARK']);
      // ...the follower's own code stays out of the gpu path, its shared code joins it
      expect(marks(loads(grouped, 'GPU_ROOT_MARK'))).toEqual(['CORE_MARK', 'GPU_A_MARK', 'GPU_B_MARK', 'GPU_ROOT_MARK', 'SHARED_MARK']);
      expect(marks(loads(grouped, 'LATER_MARK'))).toEqual(['CORE_MARK', 'GPU_A_MARK', 'GPU_B_MARK', 'GPU_ROOT_MARK', 'LATER_MARK', 'LATER_ONLY_MARK', 'SHARED_MARK']);
      // in fewer files: gpu-a (shared by gpu.js and later.js) was a file of its own
      const gpuFiles = (chunks: Chunk[]) => chunks.filter((c) => /GPU_(ROOT|A|B)_MARK/.test(c.code)).length;
      expect(gpuFiles(plain)).toBe(2);
      expect(gpuFiles(grouped)).toBe(1);
      const gpuChunk = grouped.find((c) => c.code.includes('GPU_ROOT_MARK'))!;
      expect(gpuChunk.fileName).toMatch(/^assets\/gpu-[\w-]+\.js$/);
      expect(marks(gpuChunk.code)).toEqual(['GPU_A_MARK', 'GPU_B_MARK', 'GPU_ROOT_MARK']);
    });

    it('fails the build on a Rollup without onlyExplicitManualChunks', async () => {
      const plugin = neuronaChunks({ gpu: { roots: ['gpu.js'] } });
      const ctx = { meta: { rollupVersion: '4.40.0' }, error: (m: string): never => { throw new Error(m); } };
      expect(() => plugin.buildStart.call(ctx)).toThrow(/needs Rollup 4.52/);
    });
  });
});
