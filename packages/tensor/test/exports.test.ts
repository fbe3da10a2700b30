// The public names of @neurona/tensor are a conscious choice: the built ESM and CJS entries
// export exactly the names in exports.json (sorted) (main entry and `@neurona/tensor/kernel-api`). A new
// export means editing that list; tfjs internals never appear in it.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', 'dist');
const expected = JSON.parse(readFileSync(join(import.meta.dirname, 'exports.json'), 'utf8')) as Record<'main' | 'kernel-api', string[]>;
const require = createRequire(import.meta.url);
const TFJS_INTERNALS = ['engine', 'registerKernel', 'getKernel', 'TensorClass', 'VariableClass', 'util', 'env', 'findBackend', 'registerBackend', 'removeBackend'];

const names = (m: object) => new Set(Object.keys(m).filter((k) => k !== 'default' && k !== '__esModule'));

describe('exports', () => {
  for (const [entry, file] of [['main', 'index'], ['kernel-api', 'kernel-api']] as const) {
    it(`${entry}: the ESM and CJS builds export exactly the committed list`, async () => {
      const esm = names(await import(pathToFileURL(join(dist, `${file}.js`)).href));
      const cjs = names(require(join(dist, `${file}.cjs`)) as object);
      expect(esm).toEqual(new Set(expected[entry]));
      expect(esm.size).toBe(expected[entry].length);
      expect(cjs).toEqual(esm);
    });
  }

  it('no tfjs internals in either entry', () => {
    for (const list of Object.values(expected)) for (const n of TFJS_INTERNALS) expect(list).not.toContain(n);
  });

  it('both entries share one copy of the module state in each format (code splitting)', () => {
    const files = readdirSync(dist).filter((f) => /\.c?js$/.test(f));
    for (const ext of ['.js', '.cjs']) {
      const holders = files.filter((f) => f.endsWith(ext) && readFileSync(join(dist, f), 'utf8').includes('@neurona/tensor/kernel-tables'));
      expect(holders, `files${ext} defining the kernel tables`).toHaveLength(1);
      expect(holders[0]).toMatch(/^chunk-/);
    }
  });
});
