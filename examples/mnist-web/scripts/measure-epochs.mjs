// Epoch times of the built page on each backend, in one headless Chromium (software WebGPU and
// WebGL through SwiftShader where there is no GPU): `pnpm --filter mnist-web measure [-- samples epochs backends model]`.
// Build first (`pnpm --filter mnist-web build`). Prints one line per backend and a JSON summary,
// with the gzipped size of the JavaScript each page load fetched. DIST=<folder> measures another
// build of the same page (bench/web-compare's tfjs version).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serveDir } from './serve.mjs';

const [samples = '2000', epochs = '3', list = 'webgpu,wasm', model = 'mlp'] = process.argv.slice(2);
const dist = process.env.DIST ? resolve(process.env.DIST) : fileURLToPath(new URL('../dist', import.meta.url));
const gzipKB = (path) => gzipSync(readFileSync(join(dist, path)), { level: 9 }).length / 1024;
const { origin, close } = await serveDir(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
  headless: true,
  args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
const results = [];
try {
  for (const backend of list.split(',')) {
    const page = await browser.newPage();
    const js = new Set();
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.endsWith('.js')) js.add(path);
    });
    await page.goto(`${origin}/?autostart=1&epochs=${epochs}&samples=${samples}&backend=${backend}&model=${model}`);
    await page.waitForFunction(() => /^(done|error)/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''), undefined, {
      timeout: 600_000,
      polling: 500,
    });
    const get = (id) => page.getByTestId(id).textContent();
    const status = await get('status');
    const ms = JSON.parse((await page.getByTestId('epoch-times').getAttribute('data-ms')) ?? '[]');
    const jsGzipKB = Math.round([...js].reduce((s, p) => s + gzipKB(p), 0) * 10) / 10;
    const r = { backend, detail: await get('backend'), status, samples: Number(samples), epochMs: ms, valAccuracy: Number(await get('val-accuracy')), jsGzipKB };
    results.push(r);
    console.log(`${backend.padEnd(7)} ${status}  epochs (ms): ${ms.join(', ')}  val accuracy ${r.valAccuracy}  JS fetched ${jsGzipKB} KB gz  | ${r.detail}`);
    await page.close();
  }
} finally {
  await browser.close();
  await close();
}
console.log(JSON.stringify(results));
