// The built page: reused when dist/ is newer than every input of the build, rebuilt otherwise.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const pkgDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(pkgDir, 'dist');

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

/** The newest modification time among the page's sources and the built packages it bundles. */
function newestInput(): number {
  const require = createRequire(join(pkgDir, 'package.json'));
  const deps = ['@neurona/backend-web', '@neurona/data-split', '@neurona/datasets', '@neurona/keras', '@neurona/metrics', '@neurona/models', '@neurona/tensor', 'mnist-model'];
  const depDists = deps.map((d) => join(dirname(require.resolve(`${d}/package.json`)), 'dist'));
  return Math.max(...['src', 'index.html', 'vite.config.ts', 'package.json', 'kernels.json'].map((p) => newest(join(pkgDir, p))), ...depDists.map(newest));
}

/** Build dist/ unless it is fresh; returns whether a build ran. */
export async function ensureBuilt(): Promise<boolean> {
  const built = newest(join(distDir, 'index.html'));
  if (built > 0 && built >= newestInput()) return false;
  await build({ root: pkgDir, configFile: join(pkgDir, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
