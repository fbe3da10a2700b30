// The packages as users get them: packed with `pnpm pack` (workspace versions resolved, only the
// published files), unpacked into a project outside the repository, and used from CommonJS and
// from ESM — including one process that loads both builds (one registry, one tfjs-core).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const PACKAGES = ['common', 'tensor', 'kernels', 'backend-core', 'backend-node', 'activations', 'initializers', 'losses', 'metrics', 'optimizers', 'layers', 'data', 'models'];
const THIRD_PARTY: [string, string][] = [
  ['@tensorflow/tfjs-core', 'tensor'],
  ['@tensorflow/tfjs-backend-cpu', 'backend-node'],
  ['@tensorflow/tfjs-backend-wasm', 'backend-node'],
  ['@tensorflow/tfjs-backend-webgpu', 'backend-node'],
];
let dir: string;

/** The folder of an installed package, as the package `from` resolves it. */
function packageDir(name: string, from: string): string {
  const req = createRequire(join(root, 'packages', from, 'package.json'));
  let d = dirname(realpathSync(req.resolve(name)));
  while (!readdirSync(d).includes('package.json') || d.endsWith('dist')) d = dirname(d);
  return d;
}

function run(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', env: { ...process.env, NEURONA_BACKEND: 'cpu' }, timeout: 120_000 });
}

const PROGRAM = (load: string) => `
${load}
await backend.useNodeBackend({ silent: true });
tensor.setSeed(1);
const x = tensor.randomNormal([32, 4]);
const y = tensor.cast(tensor.oneHot(tensor.argMax(tensor.slice(x, [0, 0], [32, 2]), 1), 2), 'float32');
const model = models.Sequential([layers.Dense(8, { inputShape: [4], activation: 'relu' }), layers.Dense(2, { activation: 'softmax' })]);
model.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
const h = await model.fit(x, y, { epochs: 3, verbose: 0 });
console.log(JSON.stringify({ loss: h.history.loss.length, finite: h.history.loss.every(Number.isFinite), tensorIsTensor: tensor.isTensor(x) }));
`;

describe('the packed packages, installed outside the repository', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'neurona-packed-'));
    const tarballs = join(dir, 'tarballs');
    mkdirSync(tarballs);
    for (const p of PACKAGES) {
      execFileSync('npx', ['-y', 'pnpm@12.4.2', 'pack', '--pack-destination', tarballs], { cwd: join(root, 'packages', p), stdio: 'pipe' });
    }
    for (const file of readdirSync(tarballs)) {
      const name = file.replace(/^neurona-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '');
      const dest = join(dir, 'node_modules', '@neurona', name);
      mkdirSync(dest, { recursive: true });
      execFileSync('tar', ['-xzf', join(tarballs, file), '-C', dest, '--strip-components=1']);
    }
    for (const [name, from] of THIRD_PARTY) {
      const dest = join(dir, 'node_modules', name);
      mkdirSync(dirname(dest), { recursive: true });
      symlinkSync(packageDir(name, from), dest, 'dir');
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every published package.json points at files it ships (no workspace: left)', () => {
    for (const p of PACKAGES) {
      const pj = createRequire(join(dir, 'x.js'))(`@neurona/${p}/package.json`) as { dependencies?: Record<string, string> };
      for (const [dep, v] of Object.entries(pj.dependencies ?? {})) expect(v, `${p} → ${dep}`).not.toMatch(/^workspace:/);
    }
  });

  it('CommonJS: require() trains a model', () => {
    writeFileSync(
      join(dir, 'cjs.cjs'),
      `(async () => {${PROGRAM("const tensor = require('@neurona/tensor'); const backend = require('@neurona/backend-node'); const models = require('@neurona/models'); const layers = require('@neurona/layers');")}})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    expect(JSON.parse(run('cjs.cjs'))).toEqual({ loss: 3, finite: true, tensorIsTensor: true });
  });

  it('ESM: import trains a model', () => {
    writeFileSync(
      join(dir, 'esm.mjs'),
      PROGRAM("import * as tensor from '@neurona/tensor'; import * as backend from '@neurona/backend-node'; import * as models from '@neurona/models'; import * as layers from '@neurona/layers';"),
    );
    expect(JSON.parse(run('esm.mjs'))).toEqual({ loss: 3, finite: true, tensorIsTensor: true });
  });

  it('both builds in one process: a loss registered through CommonJS compiles a model built through ESM', () => {
    writeFileSync(
      join(dir, 'mixed.mjs'),
      `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const lossesCjs = require('@neurona/losses');
lossesCjs.registerLoss('packed_mse', (t, p) => p.sub(t).square().mean(-1));
${PROGRAM("import * as tensor from '@neurona/tensor'; import * as backend from '@neurona/backend-node'; import * as layers from '@neurona/layers'; import * as modelsEsm from '@neurona/models'; const models = { Sequential: (l) => { const m = modelsEsm.Sequential(l); const c = m.compile.bind(m); m.compile = (a) => c({ ...a, loss: 'packed_mse' }); return m; } };")}`,
    );
    expect(JSON.parse(run('mixed.mjs'))).toEqual({ loss: 3, finite: true, tensorIsTensor: true });
  });
});
