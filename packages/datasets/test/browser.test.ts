import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser';
import * as node from '../src/index';

const pkgDir = join(import.meta.dirname, '..');

describe('the browser entry', () => {
  it('has the Node entry names except those that need node:fs, zlib or http', () => {
    const nodeOnly = ['downloadMnist', 'defaultMnistCacheDir', 'writeMnistBinary'];
    const expected = Object.keys(node).filter((k) => !nodeOnly.includes(k));
    expect(new Set(Object.keys(browser))).toEqual(new Set(expected));
    expect(Object.keys(browser)).toHaveLength(expected.length);
  });

  it('loadMnist explains how to get the digits in a browser', async () => {
    await expect(browser.loadMnist()).rejects.toThrow(/needs Node\.js; in the browser, fetch the asset @neurona\/datasets\/mnist-10k\.bin .*mnistFromBinary/);
  });

  it('imports nothing from Node, in source and (when built) in the bundle', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      expect(src, file).not.toMatch(/from ['"](node:|fs|path|zlib|http|crypto|os)/);
      for (const m of src.matchAll(/from ['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const base = join(file, '..', m[1]);
        visit(['', '.ts', '.js'].map((e) => base + e).find((f) => /\.[jt]s$/.test(f) && existsSync(f)) ?? `${base}.ts`);
      }
    };
    visit(join(pkgDir, 'src', 'browser.ts'));
    expect([...seen].some((f) => f.includes('/node/'))).toBe(false);
    if (existsSync(join(pkgDir, 'dist', 'browser.js'))) visit(join(pkgDir, 'dist', 'browser.js'));
  });

  it('package.json sends browser bundlers to the browser build and exports the binary', () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, unknown> | string>;
    };
    const root = pkg.exports['.'] as Record<string, Record<string, Record<string, string>>>;
    expect(Object.keys(root)[0]).toBe('browser'); // first: a bundler takes the first matching condition
    // types per module kind (publint: a .d.ts under `require` would be read as ESM)
    expect(root.browser.import).toEqual({ types: './dist/browser.d.ts', default: './dist/browser.js' });
    expect(root.browser.require).toEqual({ types: './dist/browser.d.cts', default: './dist/browser.cjs' });
    expect(pkg.exports['./mnist-10k.bin']).toBe('./dist/mnist-10k.bin');
  });
});
