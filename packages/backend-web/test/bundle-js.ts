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
