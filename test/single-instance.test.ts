import { readdirSync, readFileSync, existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The whole library must share one tfjs-core: one engine, one kernel registry, one Tensor class.
const root = join(import.meta.dirname, '..');
const packages = join(root, 'packages');
// Definitions that exist only in tfjs-core's stateful modules; a bundled copy would carry them.
const CORE_MARKERS = ['function getOrMakeEngine', 'class Engine', 'class KernelBackend', 'class TensorBuffer'];

function distFiles(pkg: string): string[] {
  const dist = join(packages, pkg, 'dist');
  if (!existsSync(dist)) return [];
  return readdirSync(dist).filter((f) => /\.(c?js|mjs)$/.test(f)).map((f) => join(dist, f));
}

describe('one tfjs-core instance', () => {
  const pkgs = readdirSync(packages).filter((p) => existsSync(join(packages, p, 'package.json')));

  it('every package is built (run pnpm build first)', () => {
    for (const p of pkgs) expect(distFiles(p).length, `packages/${p}/dist`).toBeGreaterThan(0);
  });

  for (const pkg of pkgs) {
    it(`${pkg} bundles no copy of tfjs-core's engine, tensor or registries`, () => {
      for (const file of distFiles(pkg)) {
        const src = readFileSync(file, 'utf8');
        for (const marker of CORE_MARKERS) expect(src.includes(marker), `${marker} in ${file}`).toBe(false);
      }
    });
  }

  it('the marker check can fail: tfjs-core itself carries the markers', () => {
    const req = createRequire(join(packages, 'tensor', 'package.json'));
    const core = readFileSync(req.resolve('@tensorflow/tfjs-core'), 'utf8');
    expect(CORE_MARKERS.some((m) => core.includes(m))).toBe(true);
  });

  it('every package that depends on tfjs-core resolves the same file', () => {
    const resolved = new Set<string>();
    for (const pkg of ['tensor', 'kernels', 'backend-node', 'backend-web']) {
      const req = createRequire(join(packages, pkg, 'package.json'));
      resolved.add(realpathSync(req.resolve('@tensorflow/tfjs-core')));
    }
    expect([...resolved]).toHaveLength(1);
  });

  it('a tensor made by the ESM build is usable by the CJS build (ESM and CJS consumers share it)', async () => {
    const esm = await import('@neurona/tensor');
    const req = createRequire(join(packages, 'tensor', 'package.json'));
    const cjs = req(join(packages, 'tensor', 'dist', 'index.cjs')) as typeof esm;
    const t = esm.tensor2d([[1, 2], [3, 4]]);
    const s = cjs.sum(cjs.matMul(t, t));
    expect(s.dataSync()[0]).toBe(7 + 10 + 15 + 22);
    expect(t.argMax(1).arraySync()).toEqual([1, 1]);
    const [g] = cjs.grads((a) => cjs.sum(cjs.square(a)))([t]);
    expect(Array.from(g.dataSync())).toEqual([2, 4, 6, 8]);
    expect(cjs.getBackendInfo()).toEqual(esm.getBackendInfo());
  });

  it('a backend provider registered through the CJS build is found, with its capabilities, through the ESM build', async () => {
    const esm = await import('@neurona/tensor');
    const req = createRequire(join(packages, 'tensor', 'package.json'));
    const cjs = req(join(packages, 'tensor', 'dist', 'index.cjs')) as typeof esm;
    const cjsKernelApi = req(join(packages, 'tensor', 'dist', 'kernel-api.cjs')) as typeof import('@neurona/tensor/kernel-api');
    const seen: string[] = [];
    const stop = cjsKernelApi.watchBackends((name, c) => seen.push(`${name}:${c.memory}`));
    cjs.registerBackendProvider({ name: 'dual-package-probe', kind: 'cpu', capabilities: { memory: 'opaque', syncRead: true, gpu: false }, load: async () => ({}) });
    stop();
    expect(esm.listBackendProviders()).toContain('dual-package-probe');
    expect(seen).toContain('dual-package-probe:opaque');
  });
});
