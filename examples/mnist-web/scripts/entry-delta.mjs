#!/usr/bin/env node
// What each module of the entry chunk costs: builds the page with its Vite config (into a
// temporary folder) and, for every module of the entry chunk, minifies (esbuild, as Vite's default)
// and gzips (level 9) the entry's kept code with and without that module. The difference is how
// many gzipped bytes the entry would lose without it: an estimate (the page itself is minified by
// terser, and gzip shares one dictionary), good for ranking what to cut first.
//
//   node scripts/entry-delta.mjs [--top 80]      (about 30 s)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { build, transformWithEsbuild } from 'vite';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
let mods = [];
const outDir = mkdtempSync(join(tmpdir(), 'mnist-web-delta-'));
const top = Number(process.argv[process.argv.indexOf('--top') + 1] || 0) || Infinity;
await build({ root: PKG, configFile: join(PKG, 'vite.config.ts'), logLevel: 'error', build: { outDir, emptyOutDir: true },
  plugins: [{ name: 'd', generateBundle(_o, b) { for (const c of Object.values(b)) if (c.type === 'chunk' && c.isEntry) mods = Object.entries(c.modules).filter(([, m]) => m.renderedLength).map(([id, m]) => ({ id, code: m.code ?? '' })); } }] });
const mg = async (s) => gzipSync((await transformWithEsbuild(s, 'x.js', { minify: true, target: 'es2022', format: 'esm', loader: 'js' })).code, { level: 9 }).length;
const all = await mg(mods.map((m) => m.code).join('\n'));
const rows = [];
for (let i = 0; i < mods.length; i++) { const rest = mods.filter((_, j) => j !== i).map((m) => m.code).join('\n'); rows.push([all - await mg(rest), mods[i].id.replace(/.*node_modules\//, '').replace(/.*\/(packages|examples)\//, '')]); }
rmSync(outDir, { recursive: true, force: true });
rows.sort((a, b) => b[0] - a[0]);
console.log(`entry chunk: ${all} B (esbuild-minified, gzipped); bytes it loses without each module:`);
for (const [d, id] of rows.slice(0, top)) console.log(String(d).padStart(6), id);
