#!/usr/bin/env node
// What a visit of the page executes: builds the page unminified with source maps (into a
// temporary folder), opens it in headless Chromium with V8's block coverage on, runs the same
// visit as measure-size (one short training run, evaluation, prediction), and prints per source
// module how many bytes of its bundled code ran and how many never did. Modules that load but
// never run are the candidates for lazy chunks. Byte counts are of unminified code: compare
// modules with each other, not with gzipped sizes.
//
//   node scripts/coverage-report.mjs [--backend webgpu|wasm] [--query 'model=mlp'] [--top 60] [--json out.json]
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A source map's `mappings` as `[generatedLine, generatedColumn, sourceIndex]` (lines from 0). */
function decodeMappings(mappings) {
  const out = [];
  let src = 0;
  mappings.split(';').forEach((line, li) => {
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const v = [];
      let shift = 0;
      let value = 0;
      for (const ch of seg) {
        const d = B64.indexOf(ch);
        value += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          v.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      col += v[0];
      if (v.length >= 4) {
        src += v[1];
        out.push([li, col, src]);
      }
    }
  });
  return out;
}

/** Per source, `[ran, never]` bytes of `code` (a chunk) given V8's block ranges and its source map. */
function attribute(code, functions, map, into) {
  // executed[i]: whether the innermost range holding byte i ran (V8 nests ranges; later = inner)
  const ran = new Uint8Array(code.length).fill(1);
  for (const f of functions) for (const r of f.ranges) ran.fill(r.count > 0 ? 1 : 0, r.startOffset, r.endOffset);
  const lineStart = [0];
  for (let i = 0; i < code.length; i++) if (code.charCodeAt(i) === 10) lineStart.push(i + 1);
  const segs = decodeMappings(map.mappings).map(([line, col, src]) => ({ at: lineStart[line] + col, source: map.sources[src] }));
  segs.sort((a, b) => a.at - b.at);
  for (let s = 0; s < segs.length; s++) {
    const from = segs[s].at;
    const to = s + 1 < segs.length ? segs[s + 1].at : code.length;
    const e = into.get(segs[s].source) ?? [0, 0];
    for (let i = from; i < to; i++) e[ran[i] ? 0 : 1]++;
    into.set(segs[s].source, e);
  }
}

async function main() {
  const backend = arg('--backend', 'webgpu');
  const out = mkdtempSync(join(tmpdir(), 'mnist-web-coverage-'));
  const { build } = await import('vite');
  await build({ root: PKG, logLevel: 'error', build: { outDir: out, emptyOutDir: true, minify: false, sourcemap: true } });
  const { serveDir } = await import('./serve.mjs');
  const { chromium } = await import('playwright-core');
  const { findBrowser } = await import('../../../scripts/find-browser.mjs');
  const executablePath = process.env.CHROMIUM_PATH ?? findBrowser()?.chromium;
  const server = await serveDir(out);
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', ...(backend === 'webgpu' ? ['--enable-unsafe-webgpu'] : [])] });
  const bySource = new Map();
  try {
    const page = await browser.newPage();
    await page.coverage.startJSCoverage({ resetOnNavigation: false });
    const query = arg('--query', '');
    await page.goto(`${server.origin}/?autostart=1&epochs=1&samples=200&backend=${backend}${query ? `&${query}` : ''}`);
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 300_000 });
    const status = await page.getByTestId('status').textContent();
    if (status?.trim() !== 'done') throw new Error(`the page ended with "${status}"`);
    for (const entry of await page.coverage.stopJSCoverage()) {
      const file = join(out, new URL(entry.url).pathname);
      if (!entry.url.startsWith(server.origin) || !file.endsWith('.js') || !existsSync(`${file}.map`)) continue;
      attribute(entry.source ?? readFileSync(file, 'utf8'), entry.functions, JSON.parse(readFileSync(`${file}.map`, 'utf8')), bySource);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(out, { recursive: true, force: true });
  }
  const rows = [...bySource].map(([source, [ran, never]]) => ({ source: source.replace(/^.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '').replace(/^.*\/(packages|examples)\//, '$1/'), ran, never }));
  rows.sort((a, b) => b.never - a.never);
  const json = arg('--json');
  if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
  const top = Number(arg('--top', '60'));
  const total = rows.reduce((s, r) => [s[0] + r.ran, s[1] + r.never], [0, 0]);
  console.log(`${backend} visit: ${(total[0] / 1024).toFixed(1)} KB of loaded code ran, ${(total[1] / 1024).toFixed(1)} KB never ran (unminified)`);
  console.log('never ran (KB)  ran (KB)  module');
  for (const r of rows.slice(0, top)) console.log(`${(r.never / 1024).toFixed(1).padStart(12)}  ${(r.ran / 1024).toFixed(1).padStart(8)}  ${r.source}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
