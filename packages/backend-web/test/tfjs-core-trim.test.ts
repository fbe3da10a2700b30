// tfjsCoreTrim (vite-plugin): the registrations tfjs-core makes at import and neurona never uses
// are cut from the real tfjs-core 4.22 files, nothing else is touched, and a file that no longer
// has the expected lines fails the build instead of being passed through.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
    expect(plugin.transform(read('engine.js'), file('engine.js'))).toBeNull();
    expect(plugin.transform(read('io/indexed_db.js'), file('io/indexed_db.js'))).toMatchObject({ moduleSideEffects: false });
    expect(typeof plugin.transform(read('index.js'), file('index.js'))).toBe('string');
  });

  it('a tfjs-core without the expected lines fails loudly', () => {
    expect(() => trimTfjsCoreModule('export const x = 1;', file('index.js'))).toThrow('has no registerOptimizers() call');
    expect(() => trimTfjsCoreModule('export class BrowserIndexedDB {}', file('io/indexed_db.js'))).toThrow('expected 2 router registrations');
    expect(() => trimTfjsCoreModule('export class PlatformBrowser {}', file('platforms/platform_browser.js'))).toThrow('expected 2 model store managers');
  });
});
