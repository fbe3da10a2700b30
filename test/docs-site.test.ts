// The documentation site builds, as `pnpm docs:build` makes it: the API reference from the TSDoc
// comments of every public package, the plots from real runs of the guides' programs, and
// VitePress over it all (which refuses dead links between pages). Then a look at what came out.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApi } from '../scripts/docs/api.mjs';
import { buildPlots } from '../scripts/docs/plots.mjs';
import { publicPackages } from '../scripts/check-publish.mjs';

const ROOT = join(import.meta.dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'neurona-site-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const page = (path: string) => readFileSync(join(out, path), 'utf8');

describe('the documentation site', () => {
  it('builds: API pages, plots from real runs, VitePress with no dead link', async () => {
    const api = await buildApi();
    expect(api.map((f) => basename(f, '.md')).toSorted()).toEqual(publicPackages().map((p) => basename(p.dir)).toSorted());
    const plots = await buildPlots();
    expect(plots).toEqual(expect.arrayContaining(['learning-rate.svg', 'batch-size.svg', 'activations.svg', 'getting-started-node-model.svg']));
    const vitepress = join(ROOT, 'node_modules', 'vitepress', 'bin', 'vitepress.js');
    await promisify(execFile)(process.execPath, [vitepress, 'build', 'docs', '--outDir', out], {
      cwd: ROOT,
      env: { ...process.env, NEURONA_DOCS_BASE: '/' },
      maxBuffer: 64 << 20,
    });
    expect(existsSync(join(out, 'index.html'))).toBe(true);
  }, 600_000);

  it('has every guide in both languages, with a language switch', () => {
    for (const p of ['guide/getting-started-node', 'guide/course/learning-rate', 'guide/course/batch-size', 'contributing/layer']) {
      expect(existsSync(join(out, `${p}.html`)), p).toBe(true);
      expect(existsSync(join(out, 'es', `${p}.html`)), `es/${p}`).toBe(true);
    }
    const es = page('es/guide/course/learning-rate.html');
    expect(es).toContain('lang="es-ES"');
    expect(es).toContain('El learning rate');
    // the switch links each page to its other language
    expect(es).toMatch(/href="\/guide\/course\/learning-rate"/);
  });

  it('shows the sweeps’ pictures and the runs that drew them', () => {
    const lr = page('guide/course/learning-rate.html');
    expect(lr).toMatch(/<img src="\/plots\/learning-rate\.svg"/);
    expect(lr).toMatch(/η = 10\s+val_loss/);
    const svg = page('plots/learning-rate.svg');
    expect(svg.match(/<polyline class="series"/g)).toHaveLength(5);
    expect(page('plots/getting-started-node-model.svg')).toContain('(Dense)');
  });

  it('has an API page per package with Keras names beside neurona’s', () => {
    for (const p of publicPackages()) expect(existsSync(join(out, 'api', `${basename(p.dir)}.html`)), p.name).toBe(true);
    const losses = page('api/losses.html');
    expect(losses).toContain('keras.losses.categorical_crossentropy');
    expect(page('api/models.html')).toContain('keras.utils.plot_model');
  });
});
