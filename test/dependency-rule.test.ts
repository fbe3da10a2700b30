import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// SPEC section 1: only tensor and the two backends may touch @tensorflow/*.
const ALLOWED = new Set(['tensor', 'backend-node', 'backend-web']);
const root = join(import.meta.dirname, '..', 'packages');

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.(ts|tsx|js|mjs|cjs)$/.test(f) ? [p] : [];
  });
}

export function violations(pkgDir: string): string[] {
  const found: string[] = [];
  const pj = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const dep of Object.keys(pj[field] ?? {})) if (dep.startsWith('@tensorflow/')) found.push(`${field}: ${dep}`);
  }
  for (const file of sourceFiles(join(pkgDir, 'src'))) {
    const src = readFileSync(file, 'utf8');
    if (/(from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"]@tensorflow\//.test(src)) found.push(`imports @tensorflow/* in ${file}`);
  }
  return found;
}

describe('dependency rule', () => {
  const pkgs = readdirSync(root).filter((d) => existsSync(join(root, d, 'package.json')));

  it('finds every package of SPEC section 1', () => {
    expect(pkgs.sort()).toEqual(
      ['activations', 'backend-node', 'backend-web', 'common', 'data', 'data-split', 'datasets', 'initializers', 'keras', 'layers', 'losses', 'metrics', 'models', 'neurona', 'optimizers', 'tensor'].sort(),
    );
  });

  for (const pkg of pkgs.filter((p) => !ALLOWED.has(p))) {
    it(`${pkg} does not depend on or import @tensorflow/*`, () => {
      expect(violations(join(root, pkg))).toEqual([]);
    });
  }

  it('catches a violation (the check itself can fail)', () => {
    expect(violations(join(root, 'tensor')).length).toBeGreaterThan(0);
  });
});
