// tfjsCoreTrim (vite-plugin): the registrations tfjs-core makes at import and neurona never uses
// are cut from the real tfjs-core 4.22 files, nothing else is touched, and a file that no longer
// has the expected lines fails the build instead of being passed through.
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from 'vite';
import { tfjsCoreTrim, trimTfjsCoreModule } from '../src/vite-plugin';

const require = createRequire(import.meta.url);
const dist = join(dirname(require.resolve('@tensorflow/tfjs-core/package.json')), 'dist');
const file = (rel: string) => join(dist, rel);
const read = (rel: string) => readFileSync(file(rel), 'utf8');

describe('tfjsCoreTrim', () => {
  it('drops registerOptimizers() from the index and nothing else', () => {
    const src = read('index.js');
    const out = trimTfjsCoreModule(src, file('index.js')) as string;
    expect(src).toMatch(/^registerOptimizers\(\);$/m);
    expect(out).not.toMatch(/^registerOptimizers\(\);$/m);
    expect(src.split('\n').length - out.split('\n').length).toBe(0);
    expect(out.replace(/\s/g, '').length).toBe(src.replace(/\s/g, '').length - 'registerOptimizers();'.length);
  });

  it('drops the IndexedDB and localStorage routers and their store managers', () => {
    for (const store of ['io/indexed_db.js', 'io/local_storage.js']) {
      const out = trimTfjsCoreModule(read(store), file(store)) as string;
      expect(read(store)).toContain('IORouterRegistry.registerSaveRouter(');
      expect(out).not.toContain('IORouterRegistry.registerSaveRouter(');
      expect(out).not.toContain('IORouterRegistry.registerLoadRouter(');
      expect(out).toContain('export class Browser');
    }
    const platform = trimTfjsCoreModule(read('platforms/platform_browser.js'), file('platforms/platform_browser.js')) as string;
    expect(read('platforms/platform_browser.js')).toContain('ModelStoreManagerRegistry.registerManager(');
    expect(platform).not.toContain('ModelStoreManagerRegistry.registerManager(');
    expect(platform).toContain("env().setPlatform('browser', new PlatformBrowser());");
  });

  it('leaves other modules alone and marks only the stores free of side effects', () => {
    expect(trimTfjsCoreModule(read('engine.js'), file('engine.js'))).toBeNull();
    expect(trimTfjsCoreModule('registerOptimizers();', '/app/src/index.js')).toBeNull();
    const plugin = tfjsCoreTrim();
    // tensor.js: nothing to trim, no kernel name imported (the engine's names: tfjs-core-trim-kernel-names.test.ts)
    expect(plugin.transform(read('tensor.js'), file('tensor.js'))).toBeNull();
    expect(plugin.transform(read('io/indexed_db.js'), file('io/indexed_db.js'))).toMatchObject({ moduleSideEffects: false });
    expect(typeof plugin.transform(read('index.js'), file('index.js'))).toBe('string');
  });

  it('gives the random ops seedrandom\'s Alea alone: the same generator, the same numbers', () => {
    const out = trimTfjsCoreModule(read('ops/rand_util.js'), file('ops/rand_util.js')) as string;
    expect(read('ops/rand_util.js')).toMatch(/^import \* as seedrandom from 'seedrandom';$/m);
    expect(out).not.toMatch(/from 'seedrandom';/);
    expect(out).toContain("import alea from 'seedrandom/lib/alea.js';\nconst seedrandom = { alea };");
    // everything else as it was
    expect(out.split('\n').length).toBe(read('ops/rand_util.js').split('\n').length + 1);
    // the module the trim imports is the generator seedrandom's index hands out as `alea`
    const fromCore = createRequire(file('ops/rand_util.js'));
    const whole = fromCore('seedrandom') as { alea: (seed: string) => () => number };
    const alone = fromCore('seedrandom/lib/alea.js') as (seed: string) => () => number;
    const a = whole.alea('42');
    const b = alone('42');
    expect(Array.from({ length: 5 }, () => b())).toEqual(Array.from({ length: 5 }, () => a()));
  });

  it('leaves out the profiler and the tensor printer, keeping their exports', () => {
    const profiler = trimTfjsCoreModule(read('profiler.js'), file('profiler.js')) as string;
    for (const name of ['class Profiler', 'class Logger', 'function checkComputationForErrors']) expect(profiler).toContain(`export ${name}`);
    expect(profiler).toContain('left out of this page by tfjsCoreTrim()');
    expect(profiler.length).toBeLessThan(read('profiler.js').length / 3);
    const format = trimTfjsCoreModule(read('tensor_format.js'), file('tensor_format.js')) as string;
    expect(format).toContain('export function tensorToString(');
    // what t.toString() gives: the dtype and the shape
    const toString = new Function(`${format.replace('export function', 'return function')}`)() as (v: unknown, s: number[], d: string) => string;
    expect(toString(new Float32Array(6), [2, 3], 'float32')).toBe('Tensor (float32, shape [2, 3]; values not printed: tfjsCoreTrim)');
  });

  it('a tfjs-core without the expected lines fails loudly', () => {
    expect(() => trimTfjsCoreModule("import * as seedrandom from 'seedrandom';\nseedrandom.xor128(1);", file('ops/rand_util.js'))).toThrow('no longer uses only seedrandom.alea');
    expect(() => trimTfjsCoreModule('export class Profiler {}\nexport function somethingNew() {}', file('profiler.js'))).toThrow(/exports Profiler, somethingNew, expected Profiler, checkComputationForErrors, Logger/);
    expect(() => trimTfjsCoreModule('export function tensorToString() {}\nexport function other() {}', file('tensor_format.js'))).toThrow('expected tensorToString');
    expect(() => trimTfjsCoreModule('export const x = 1;', file('index.js'))).toThrow('has no registerOptimizers() call');
    expect(() => trimTfjsCoreModule('export class BrowserIndexedDB {}', file('io/indexed_db.js'))).toThrow('expected 2 router registrations');
    expect(() => trimTfjsCoreModule('export class PlatformBrowser {}', file('platforms/platform_browser.js'))).toThrow('expected 2 model store managers');
  });
});

describe('tfjsCoreTrim: isMobile in a module of its own', () => {
  it('re-exports isMobile and mockIsMobile from device_util.js itself under another id, keeping isBrowser', () => {
    const src = read('device_util.js');
    const out = trimTfjsCoreModule(src, file('device_util.js')) as string;
    expect(out).toMatch(/^export \{ isMobile, mockIsMobile \} from "\\u0000neurona-tfjs-core-mobile:.*device_util\.js";$/m);
    expect(out).toContain(src.slice(src.indexOf('export function isBrowser() {')));
    expect(out).not.toContain('function isMobile(');
    const plugin = tfjsCoreTrim();
    const moved = plugin.resolveId(`\0neurona-tfjs-core-mobile:${file('device_util.js')}`) as string;
    expect(plugin.load(moved)).toBe(src);
    // the moved module is not trimmed again
    expect(plugin.transform(src, moved)).toBeNull();
    expect(plugin.resolveId('./device_util')).toBeNull();
    expect(() => trimTfjsCoreModule('export function isMobile() {}\nexport function isBrowser() {}', file('device_util.js'))).toThrow('exports isMobile, isBrowser, expected mockIsMobile, isMobile, isBrowser');
  });

  it('a page whose entry uses isBrowser and whose lazy chunk uses isMobile gets isMobile in the lazy chunk only', async () => {
    const dir = await mkdtemp(join(import.meta.dirname, '..', 'node_modules', '.neurona-mobile-'));
    try {
      await writeFile(join(dir, 'index.html'), '<script type="module" src="./main.js"></script>');
      await writeFile(join(dir, 'main.js'), "import { device_util } from '@tensorflow/tfjs-core';\nglobalThis.b = device_util.isBrowser();\nglobalThis.later = () => import('./later.js');\n");
      await writeFile(join(dir, 'later.js'), "import { device_util } from '@tensorflow/tfjs-core';\nexport const mobile = device_util.isMobile();\n");
      const out = join(dir, 'dist');
      const bundle = async (plugins: unknown[]) => {
        await build({ root: dir, logLevel: 'error', configFile: false, plugins: plugins as never, build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: false } });
        const html = await readFile(join(out, 'index.html'), 'utf8');
        const entry = /src="[^"]*assets\/([^"]+\.js)"/.exec(html)?.[1] as string;
        const files = (await readdir(join(out, 'assets'))).filter((f) => f.endsWith('.js'));
        const code = new Map(await Promise.all(files.map(async (f) => [f, await readFile(join(out, 'assets', f), 'utf8')] as const)));
        return { entry: code.get(entry) as string, others: files.filter((f) => f !== entry).map((f) => code.get(f)).join('\n') };
      };
      const UA = 'blackberry|blazer|compal';
      const plain = await bundle([]);
      const trimmed = await bundle([tfjsCoreTrim()]);
      expect(plain.entry).toContain(UA);
      expect(trimmed.entry).not.toContain(UA);
      expect(trimmed.others).toContain(UA);
      expect(trimmed.entry).toContain('WorkerGlobalScope');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
