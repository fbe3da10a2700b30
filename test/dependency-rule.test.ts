import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Dependencies point down, and tfjs stays behind the tensor/kernel/backend packages
// (docs/contracts.md, "Common rules"): only these may touch @tensorflow/* ...
const TFJS_ALLOWED = new Set(['tensor', 'kernels', 'backend-core', 'backend-node', 'backend-web']);
// ... and only these may use the kernel API of @neurona/tensor (setKernelOverride & co.).
const KERNEL_API_ALLOWED = TFJS_ALLOWED;
const root = join(import.meta.dirname, '..', 'packages');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}

/** An import, dynamic import or require of a module id matching `id` (a regex source). */
const importOf = (id: string) => new RegExp(`(from\\s+|import\\s*\\(\\s*|require\\s*\\(\\s*|import\\s+)['"]${id}`);

export function violations(pkgDir: string): string[] {
  const found: string[] = [];
  const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const dep of Object.keys(pj[field] ?? {})) if (dep.startsWith('@tensorflow/')) found.push(`${field}: ${dep}`);
  }
  for (const file of sourceFiles(join(pkgDir, 'src'))) {
    if (importOf('@tensorflow/').test(readFileSync(file, 'utf8'))) found.push(`imports @tensorflow/* in ${file}`);
  }
  return found;
}

/** Files of a package (sources and tests) that import `@neurona/tensor/kernel-api`. */
export function kernelApiImports(pkgDir: string): string[] {
  const files = [...sourceFiles(join(pkgDir, 'src')), ...sourceFiles(join(pkgDir, 'test'))];
  return files.filter((f) => importOf('@neurona/tensor/kernel-api').test(readFileSync(f, 'utf8')));
}

describe('dependency rule', () => {
  const pkgs = readdirSync(root).filter((d) => existsSync(join(root, d, 'package.json')));

  it('finds every package', () => {
    expect(pkgs.sort()).toEqual(
      ['activations', 'backend-core', 'backend-node', 'backend-web', 'common', 'data', 'data-split', 'datasets', 'initializers', 'keras', 'kernels', 'layers', 'losses', 'metrics', 'models', 'neurona', 'optimizers', 'tensor'].sort(),
    );
  });

  for (const pkg of pkgs.filter((p) => !TFJS_ALLOWED.has(p))) {
    it(`${pkg} does not depend on or import @tensorflow/*`, () => {
      expect(violations(join(root, pkg))).toEqual([]);
    });
  }

  for (const pkg of pkgs.filter((p) => !KERNEL_API_ALLOWED.has(p))) {
    it(`${pkg} does not import @neurona/tensor/kernel-api`, () => {
      expect(kernelApiImports(join(root, pkg))).toEqual([]);
    });
  }

  it('catches a violation (the checks themselves can fail)', () => {
    expect(violations(join(root, 'tensor')).length).toBeGreaterThan(0);
    expect(kernelApiImports(join(root, 'kernels')).length).toBeGreaterThan(0);
  });
});
