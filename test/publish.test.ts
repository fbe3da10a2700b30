// Ready to publish: every public package passes publint (strict) and "are the types wrong" for
// ESM and CommonJS consumers, `changeset version` turns the pending changesets into a
// CHANGELOG.md for each package, `pnpm publish --dry-run -r` runs clean (scripts/check-publish.mjs),
// and every README has its install line, a five-line example and a link to its API page.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attwAllowances, checkPublish, publicPackages } from '../scripts/check-publish.mjs';
import { SITE_URL, apiPath } from '../scripts/site.mjs';

describe('publishing', () => {
  it('every public package passes publint and attw; changeset version and publish --dry-run run clean', async () => {
    const r = await checkPublish();
    const names = publicPackages().map((p) => p.name);
    expect(r.packages.map((p) => p.name).toSorted()).toEqual(names.toSorted());
    for (const p of r.packages) {
      expect(p.publint, `${p.name}: publint`).toEqual([]);
      expect(p.attw, `${p.name}: are the types wrong`).toEqual([]);
    }
    expect(r.changeset.ok, r.changeset.error).toBe(true);
    expect(r.changeset.consumed).toBe(r.changeset.pending);
    for (const p of r.changeset.packages) {
      expect(p.changelog, `${p.name}: no CHANGELOG.md from the changesets`).toMatch(new RegExp(`^# ${p.name.replace('/', '\\/')}\\n\\n## ${p.version.replace(/\./g, '\\.')}\\n`));
    }
    expect(r.publish.ok, r.publish.out).toBe(true);
    expect(r.publish.wouldPublish.toSorted()).toEqual(names.toSorted());
  }, 240_000);

  it('lets attw skip only what cannot resolve by design: non-module assets, the CJS side of ESM-only entries', () => {
    expect(
      attwAllowances({
        exports: {
          '.': { import: './dist/index.js', require: './dist/index.cjs' },
          './vite': { import: { types: './dist/vite.d.ts', default: './dist/vite.js' } },
          './mnist-10k.bin': './dist/mnist-10k.bin',
          './package.json': './package.json',
        },
      }),
    ).toEqual({ notModules: ['./mnist-10k.bin', './package.json'], esmOnly: ['./vite'] });
  });
});

describe('package READMEs', () => {
  for (const { name, dir } of publicPackages()) {
    it(`${name}: install line, a five-line example, a link to its API page`, () => {
      const text = readFileSync(join(dir, 'README.md'), 'utf8');
      expect(text.startsWith(`# ${name}\n`)).toBe(true);
      const link = `${SITE_URL}${apiPath(basename(dir))}`;
      expect(text).toContain(`API reference: [${link}](${link})`);
      const quick = /## Quick start\n\n```sh\n(.*)\n```\n\n```ts\n([\s\S]*?)\n```/.exec(text);
      expect(quick, 'a "## Quick start" section with an sh block and a ts block').not.toBeNull();
      expect(quick?.[1]).toMatch(new RegExp(`^npm i ${name.replace('/', '\\/')}( |$)`));
      const lines = (quick?.[2] ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('import '));
      expect(lines.length, lines.join('\n')).toBeLessThanOrEqual(5);
    });
  }
});
