// The JavaScript of a scratch page bundled by Vite with some plugins, for the tests that check what
// a plugin leaves in or out of a page.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'vite';

/** Bundles the page in `dir` (its index.html and what it imports) with `plugins`, unminified: every chunk's JavaScript, joined. */
export async function bundleJs(dir: string, plugins: unknown[]): Promise<string> {
  const out = join(dir, 'dist');
  await build({ root: dir, logLevel: 'error', configFile: false, plugins: plugins as never, build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: false } });
  const files = await readdir(join(out, 'assets'));
  return (await Promise.all(files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(out, 'assets', f), 'utf8')))).join('\n');
}

/** A scratch page's bundle: its output folder, its entry chunk's code and every other chunk's, joined. */
export interface PageBundle {
  dir: string;
  entry: string;
  lazy: string;
}

/**
 * Bundles the page in `dir` with `plugins` into `dir/name` (relative URLs, so the folder can be
 * served as it is), unminified; `modulePreload: false` leaves Vite's preload helper out.
 */
export async function bundlePage(dir: string, name: string, plugins: unknown[], options: { modulePreload?: false } = {}): Promise<PageBundle> {
  const out = join(dir, name);
  await build({ root: dir, base: './', logLevel: 'error', configFile: false, plugins: plugins as never, build: { outDir: out, emptyOutDir: true, target: 'es2022', minify: false, ...options } });
  const html = await readFile(join(out, 'index.html'), 'utf8');
  const entryFile = /src="\.\/assets\/([^"]+\.js)"/.exec(html)?.[1] as string;
  const files = (await readdir(join(out, 'assets'))).filter((f) => f.endsWith('.js'));
  const text = (f: string) => readFile(join(out, 'assets', f), 'utf8');
  return { dir: out, entry: await text(entryFile), lazy: (await Promise.all(files.filter((f) => f !== entryFile).map(text))).join('\n') };
}
