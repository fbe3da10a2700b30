// What the built page's JavaScript is made of: builds the page with Vite (the same config, into a
// temporary folder unless --out is given), reads rollup's per-module output (`chunk.modules`) and
// prints, per chunk, the gzipped weight of each package in it. A package's weight is its modules'
// rendered code (what tree shaking kept), minified together with esbuild as Vite does and gzipped
// at level 9: an estimate, since gzip over a whole chunk shares one dictionary across packages,
// so the parts add up to a little more than the chunk. The chunks a
// WebGPU and a wasm visit load are the entry's static imports plus the backend's lazy chunk; which
// files a real visit fetches is measured by scripts/measure-size.mjs.
//
//   node scripts/bundle-report.mjs [--json out.json] [--top 25] [--out dir] [--dump dir]
// (--dump writes each chunk's kept code per package, to see what tree shaking kept and why)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

/** `@neurona/layers`, `@tensorflow/tfjs-core`, `mnist-web` (the page) ... from a module id. */
export function packageOf(id) {
  const clean = id.replace(/\?.*$/, '').replace(/^\0/, '');
  const nm = clean.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = clean.slice(nm + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const ws = clean.match(/\/(packages|examples)\/([^/]+)\//);
  if (ws) return ws[1] === 'packages' ? `@neurona/${ws[2]}` : ws[2];
  return clean.startsWith('vite/') || clean.includes('vite/') ? 'vite runtime' : clean;
}

const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;

/** `code` minified (esbuild, as Vite's build) and gzipped: bytes. */
async function minGz(code) {
  const { transformWithEsbuild } = await import('vite');
  const out = await transformWithEsbuild(code, 'part.js', { minify: true, target: 'es2022', format: 'esm', loader: 'js' });
  return gz(out.code);
}

/** Per chunk: file, gzip of the chunk, its static and dynamic imports, and per-package parts. */
export async function describeBundle(bundle) {
  const chunks = [];
  for (const out of Object.values(bundle)) {
    if (out.type !== 'chunk') continue;
    const byPkg = new Map();
    for (const [id, m] of Object.entries(out.modules)) {
      if (!m.renderedLength) continue;
      const p = packageOf(id);
      const e = byPkg.get(p) ?? { package: p, code: '', bytes: 0, modules: [] };
      e.code += m.code ?? '';
      e.bytes += m.renderedLength;
      e.modules.push({ id, bytes: m.renderedLength });
      byPkg.set(p, e);
    }
    const packages = [];
    const dump = arg('--dump');
    if (dump) {
      mkdirSync(dump, { recursive: true });
      for (const e of byPkg.values()) writeFileSync(join(dump, `${out.fileName.replace(/\W+/g, '_')}--${e.package.replace(/\W+/g, '_')}.js`), e.code);
    }
    for (const e of byPkg.values()) packages.push({ package: e.package, bytes: e.bytes, gzip: await minGz(e.code), modules: e.modules.toSorted((a, b) => b.bytes - a.bytes) });
    packages.sort((a, b) => b.gzip - a.gzip);
    chunks.push({ file: out.fileName, isEntry: out.isEntry, bytes: out.code.length, gzip: gz(out.code), imports: out.imports, dynamicImports: out.dynamicImports, packages });
  }
  return chunks.toSorted((a, b) => b.gzip - a.gzip);
}

/** The chunks loaded with `file` before it runs: itself and its static imports, transitively. */
export function staticClosure(chunks, file) {
  const byFile = new Map(chunks.map((c) => [c.file, c]));
  const seen = new Set();
  const walk = (f) => {
    if (seen.has(f) || !byFile.has(f)) return;
    seen.add(f);
    for (const i of byFile.get(f).imports) walk(i);
  };
  walk(file);
  return [...seen].map((f) => byFile.get(f));
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  const { build } = await import('vite');
  const outDir = arg('--out') ?? mkdtempSync(join(tmpdir(), 'mnist-web-report-'));
  let chunks = [];
  try {
    await build({
      root: PKG,
      configFile: join(PKG, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
      plugins: [{ name: 'bundle-report', generateBundle: async (_o, bundle) => void (chunks = await describeBundle(bundle)) }],
    });
  } finally {
    if (!arg('--out')) rmSync(outDir, { recursive: true, force: true });
  }
  const top = Number(arg('--top', '12'));
  const entry = chunks.find((c) => c.isEntry);
  const visit = (pattern) => {
    // the deferred kernels (`later`, loaded for the CNN only; `tape`, loaded before anything runs
    // on the tape) are not part of a default visit
    const lazy = chunks.filter((c) => pattern.test(c.file) && !/later|tape/.test(c.file));
    const files = new Set([...staticClosure(chunks, entry.file), ...lazy.flatMap((c) => staticClosure(chunks, c.file))]);
    return [...files];
  };
  for (const [name, pattern] of [['webgpu', /webgpu/i], ['wasm', /wasm/i]]) {
    const cs = visit(pattern);
    const total = cs.reduce((s, c) => s + c.gzip, 0);
    const pk = new Map();
    for (const c of cs) for (const p of c.packages) pk.set(p.package, (pk.get(p.package) ?? 0) + p.gzip);
    console.log(`\n${name} visit (static estimate: entry + chunks named *${name}* but not *later* or *tape* and their imports): ${kb(total)} gzipped in ${cs.length} chunks`);
    for (const [p, g] of [...pk].toSorted((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${p.padEnd(40)} ${kb(g).padStart(9)}`);
  }
  console.log('\nchunks (gzipped), largest packages in each:');
  for (const c of chunks) {
    console.log(`${c.isEntry ? '* ' : '  '}${c.file.padEnd(46)} ${kb(c.gzip).padStart(9)}`);
    for (const p of c.packages.slice(0, top)) console.log(`      ${p.package.padEnd(38)} ${kb(p.gzip).padStart(9)}   (${p.modules.length} modules, largest ${p.modules[0].id.split('/').slice(-2).join('/')})`);
  }
  const json = arg('--json');
  if (json) writeFileSync(json, JSON.stringify(chunks.map(({ packages, ...c }) => ({ ...c, packages: packages.map(({ modules, ...p }) => ({ ...p, modules: modules.slice(0, Number(arg("--modules", "20"))) })) })), null, 2));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
