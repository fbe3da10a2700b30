#!/usr/bin/env node
// What a visit of the built page downloads, per backend: the page is served from dist/ and
// opened in headless Chromium (WebGPU exposed, with SwiftShader where there is no GPU), it trains
// one short run, and every JavaScript and wasm file it fetched is counted, gzipped at level 9 as
// Vite reports sizes. `node scripts/measure-size.mjs [--json out.json] [--check]`; `--check`
// compares with size-budget.json and exits 1 when a visit is over it. The browser test
// (test/page.test.ts) checks the same budget on its own visits.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = process.env.MNIST_WEB_DIST ?? join(PKG, 'dist');
export const BUDGET = JSON.parse(readFileSync(join(PKG, 'size-budget.json'), 'utf8'));

/** The visits measured: the page with a forced backend. */
export const VISITS = [
  { name: 'webgpu', query: 'backend=webgpu', webgpu: true },
  { name: 'wasm', query: 'backend=wasm', webgpu: false },
];

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/**
 * Sizes of the files a visit fetched (paths relative to the server root, as the browser test
 * records them): `{ js: [{ file, bytes, gzip }], jsGzip, wasmGzip }`, in bytes.
 */
export function visitSize(dist, fetched) {
  const files = [...new Set(fetched.map((u) => u.split('?')[0].replace(/^\//, '')))].filter((f) => f && existsSync(join(dist, f)));
  const js = files.filter((f) => f.endsWith('.js')).map((f) => ({ file: f, bytes: readFileSync(join(dist, f)).length, gzip: gz(join(dist, f)) }));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  return {
    js: js.toSorted((a, b) => b.gzip - a.gzip),
    jsGzip: js.reduce((s, x) => s + x.gzip, 0),
    wasmGzip: wasm.reduce((s, f) => s + gz(join(dist, f)), 0),
  };
}

/** Over budget: a message per visit whose JavaScript weighs more than size-budget.json allows. */
export function overBudget(name, size) {
  const limit = BUDGET[name]?.jsGzipKB;
  if (limit === undefined) return [`no budget for the ${name} visit in size-budget.json`];
  const kb = size.jsGzip / 1024;
  return kb > limit ? [`${name} visit: ${kb.toFixed(1)} KB of gzipped JavaScript, budget ${limit} KB`] : [];
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

async function main() {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('no dist/: run `pnpm --filter mnist-web build` first');
  const { serveDir } = await import('./serve.mjs');
  const { chromium } = await import('playwright-core');
  const { findBrowser } = await import('../../../scripts/find-browser.mjs');
  const executablePath = process.env.CHROMIUM_PATH ?? findBrowser()?.chromium;
  if (!executablePath) throw new Error('no Chromium found: run `node scripts/setup-test-env.mjs` from the repository root');
  const server = await serveDir(DIST);
  const results = {};
  const problems = [];
  try {
    for (const v of VISITS) {
      const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', ...(v.webgpu ? ['--enable-unsafe-webgpu'] : [])] });
      try {
        const page = await browser.newPage();
        const fetched = [];
        page.on('request', (r) => r.url().startsWith(server.origin) && fetched.push(r.url().slice(server.origin.length)));
        await page.goto(`${server.origin}/?autostart=1&epochs=1&samples=200&${v.query}`);
        await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, { timeout: 300_000 });
        const status = await page.getByTestId('status').textContent();
        if (status?.trim() !== 'done') problems.push(`${v.name} visit: the page ended with "${status}"`);
        results[v.name] = visitSize(DIST, fetched);
        problems.push(...overBudget(v.name, results[v.name]));
      } finally {
        await browser.close();
      }
    }
  } finally {
    await server.close();
  }
  for (const [name, s] of Object.entries(results)) {
    console.log(`${name} visit: ${kb(s.jsGzip)} of gzipped JavaScript in ${s.js.length} files (budget ${BUDGET[name]?.jsGzipKB} KB), ${kb(s.wasmGzip)} of gzipped wasm`);
    for (const f of s.js) console.log(`  ${f.file.padEnd(48)} ${kb(f.bytes).padStart(10)} ${kb(f.gzip).padStart(10)} gz`);
  }
  const i = process.argv.indexOf('--json');
  if (i > 0) writeFileSync(process.argv[i + 1], JSON.stringify(results, null, 2));
  for (const p of problems) console.error(p);
  if (process.argv.includes('--check') && problems.length) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
