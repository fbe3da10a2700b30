#!/usr/bin/env node
// Is every public package ready to publish? For each one: `pnpm pack`, then publint (strict) and
// "are the types wrong" (@arethetypeswrong/cli) on the tarball, for ESM and CommonJS consumers
// (node16 from ESM, node16 from CJS, bundler), in this one process (their APIs, not their CLIs). Then `changeset version` on a throwaway copy of
// the workspace's manifests and changesets (every package must get a CHANGELOG.md from them),
// and `pnpm publish --dry-run -r`. Prints a report; `--json FILE` also writes it as JSON; exits
// non-zero when anything fails. `pnpm check:publish`; test/publish.test.ts runs it in the suite.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const exec = promisify(execFile);
const PNPM = ['-y', 'pnpm@12.4.2'];

/** The workspace's public packages: `{ name, dir }`, from packages/*. */
export function publicPackages() {
  return readdirSync(join(ROOT, 'packages'))
    .map((d) => join(ROOT, 'packages', d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter((p) => !p.manifest.private)
    .map((p) => ({ name: p.manifest.name, dir: p.dir }));
}

async function run(cmd, args, opts = {}) {
  try {
    const { stdout, stderr } = await exec(cmd, args, { maxBuffer: 64 << 20, ...opts });
    return { ok: true, out: `${stdout}${stderr}` };
  } catch (err) {
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}${err.message}` };
  }
}

/** The resolution kinds ESM and CommonJS consumers use; node10 (TypeScript's legacy `node`) knows no `exports`. */
export const ATTW_KINDS = ['node16-cjs', 'node16-esm', 'bundler'];

/**
 * What attw need not resolve, read from the package's own `exports`: subpaths that are not
 * modules (an embedded `.bin`), and the CommonJS side of ESM-only subpaths (no `require` or
 * `default` condition: `./vite`, whose `?url` imports only Vite understands).
 */
export function attwAllowances(manifest) {
  const notModules = [];
  const esmOnly = [];
  for (const [sub, target] of Object.entries(manifest.exports ?? {})) {
    if (typeof target === 'string') {
      if (!/\.(c|m)?js$/.test(target)) notModules.push(sub);
    } else if (target && !('require' in target) && !('default' in target) && !('node' in target)) esmOnly.push(sub);
  }
  return { notModules, esmOnly };
}

/** Lint one packed package: `{ name, publint: string[], attw: string[] }`. */
export async function checkTarball(name, tarball) {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const core = await import('@arethetypeswrong/core');
  const data = readFileSync(tarball);
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const linted = await publint({ pack: { tarball: buffer }, strict: true, level: 'suggestion' });
  const lint = linted.messages.map((m) => `${m.type}: ${formatMessage(m, linted.pkg) ?? m.code}`);
  const pkg = core.createPackageFromTarballData(new Uint8Array(data));
  const allowed = attwAllowances(linted.pkg);
  const analysis = await core.checkPackage(pkg, { excludeEntrypoints: allowed.notModules });
  const problems = analysis.types ? analysis.problems : [{ kind: 'NoTypes' }];
  const attw = problems
    .filter((p) => !p.resolutionKind || ATTW_KINDS.includes(p.resolutionKind))
    .filter((p) => !(p.resolutionKind === 'node16-cjs' && allowed.esmOnly.includes(p.entrypoint)))
    .map((p) => `${p.kind}${p.entrypoint ? ` at ${p.entrypoint}` : ''}${p.resolutionKind ? ` (${p.resolutionKind})` : ''}`);
  return { name, publint: lint, attw };
}

/** Pack every public package (`pnpm -r pack`) into `outDir`; returns the tarballs by package name. */
export async function packAll(outDir) {
  const r = await run('npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', outDir], { cwd: ROOT });
  if (!r.ok) throw new Error(`pnpm pack failed: ${r.out}`);
  const byName = new Map();
  for (const p of publicPackages()) {
    const m = JSON.parse(readFileSync(join(p.dir, 'package.json'), 'utf8'));
    const file = join(outDir, `${p.name.replace(/^@/, '').replace('/', '-')}-${m.version}.tgz`);
    byName.set(p.name, existsSync(file) ? file : null);
  }
  return byName;
}

/**
 * `changeset version` on a copy of the workspace's manifests and pending changesets: returns
 * each public package's new version and whether a CHANGELOG.md came out, or the error.
 */
export async function changesetVersion() {
  const dir = mkdtempSync(join(tmpdir(), 'neurona-changeset-'));
  try {
    for (const f of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(ROOT, f), join(dir, f));
    cpSync(join(ROOT, '.changeset'), join(dir, '.changeset'), { recursive: true });
    for (const group of ['packages', 'examples']) {
      for (const d of readdirSync(join(ROOT, group))) {
        for (const f of ['package.json', 'CHANGELOG.md']) {
          if (!existsSync(join(ROOT, group, d, f))) continue;
          mkdirSync(join(dir, group, d), { recursive: true });
          cpSync(join(ROOT, group, d, f), join(dir, group, d, f));
        }
      }
    }
    mkdirSync(join(dir, 'bench'), { recursive: true });
    cpSync(join(ROOT, 'bench', 'package.json'), join(dir, 'bench', 'package.json'));
    const pending = readdirSync(join(dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    const r = await run(process.execPath, [join(ROOT, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], { cwd: dir });
    if (!r.ok) return { ok: false, error: r.out, pending: pending.length, packages: [] };
    const left = readdirSync(join(dir, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    const packages = publicPackages().map((p) => {
      const rel = p.dir.slice(ROOT.length + 1);
      const after = JSON.parse(readFileSync(join(dir, rel, 'package.json'), 'utf8'));
      const log = join(dir, rel, 'CHANGELOG.md');
      return { name: p.name, version: after.version, changelog: existsSync(log) ? readFileSync(log, 'utf8') : null };
    });
    return { ok: true, error: '', pending: pending.length, consumed: pending.length - left.length, packages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `pnpm publish --dry-run -r` from the root: what it would publish, or its error. */
export async function publishDryRun() {
  const r = await run('npx', [...PNPM, 'publish', '--dry-run', '-r', '--no-git-checks'], { cwd: ROOT });
  const wouldPublish = [...r.out.matchAll(/📦 (\S+)@(\S+) →/g)].map((m) => m[1]);
  return { ok: r.ok, wouldPublish, out: r.out };
}

/** Every check: `{ packages, changeset, publish, ok }`. */
export async function checkPublish() {
  const out = mkdtempSync(join(tmpdir(), 'neurona-pack-'));
  try {
    const tarballs = await packAll(out);
    const packages = [];
    for (const [name, tarball] of tarballs) {
      packages.push(tarball ? await checkTarball(name, tarball) : { name, publint: ['pnpm pack made no tarball'], attw: [] });
    }
    const [changeset, publish] = [await changesetVersion(), await publishDryRun()];
    const ok = packages.every((p) => !p.publint.length && !p.attw.length) && changeset.ok && publish.ok;
    return { ok, packages, changeset, publish };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now();
  const r = await checkPublish();
  for (const p of r.packages) {
    const problems = [...p.publint.map((x) => `publint: ${x}`), ...p.attw.map((x) => `attw: ${x}`)];
    console.log(`${problems.length ? '✗' : '✓'} ${p.name}${problems.length ? `\n    ${problems.join('\n    ')}` : ''}`);
  }
  console.log(`${r.changeset.ok ? '✓' : '✗'} changeset version: ${r.changeset.consumed ?? 0} of ${r.changeset.pending} changesets consumed${r.changeset.error ? `\n${r.changeset.error}` : ''}`);
  for (const p of r.changeset.packages) console.log(`    ${p.name} → ${p.version}${p.changelog ? '' : ' (no CHANGELOG.md)'}`);
  console.log(`${r.publish.ok ? '✓' : '✗'} pnpm publish --dry-run -r: ${r.publish.wouldPublish.length} packages${r.publish.ok ? '' : `\n${r.publish.out}`}`);
  console.log(`${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const i = process.argv.indexOf('--json');
  if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify(r, null, 2));
  process.exit(r.ok ? 0 : 1);
}
