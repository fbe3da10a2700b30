// @neurona/keras in a browser: the test page (test/page), bundled by Vite as an application
// would bundle it, loads a Keras 3 .keras file in headless Chromium from an ArrayBuffer, a File
// and a URL, and predicts; the predictions must be numpy's (reference/new_families.py).
import { createServer } from 'node:http';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import { chromium } from 'playwright-core';
import { fixturePath, maxAbsDiff } from './helpers';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const FILE = 'embedding-gru-keras3.keras';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

let dir = '';
let origin = '';
let close: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neurona-keras-page-'));
  await build({
    root: fileURLToPath(new URL('./page/', import.meta.url)),
    base: './',
    logLevel: 'error',
    configFile: false,
    build: { outDir: dir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 20_000 },
  });
  const expected = JSON.parse(await readFile(fixturePath('new-families-expected.json'), 'utf8')) as Record<string, { shape: number[]; input: number[] }>;
  await writeFile(join(dir, 'case.json'), JSON.stringify({ shape: expected[FILE].shape, input: expected[FILE].input }));
  await copyFile(fixturePath('generated', FILE), join(dir, 'model.keras'));
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((ok) => server.close(() => ok()));
}, 240_000);

afterAll(async () => {
  await close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('@neurona/keras in headless Chromium', () => {
  it('loads a .keras file from an ArrayBuffer, a File and a URL and predicts as numpy', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'] });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route('**/*', (route) => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
      await page.goto(`${origin}/`);
      await page.waitForFunction(() => (window as unknown as { kerasResult?: unknown }).kerasResult !== undefined, undefined, { timeout: 60_000 });
      const r = (await page.evaluate(() => (window as unknown as { kerasResult: unknown }).kerasResult)) as { ok: boolean; error?: string; fromBuffer: number[]; fromFile: number[]; fromUrl: number[] };
      expect(r.error ?? '', errors.join('\n')).toBe('');
      expect(r.ok).toBe(true);
      const want = (JSON.parse(await readFile(fixturePath('new-families-expected.json'), 'utf8')) as Record<string, { output: number[] }>)[FILE].output;
      for (const got of [r.fromBuffer, r.fromFile, r.fromUrl]) expect(maxAbsDiff(got, want)).toBeLessThan(1e-4);
    } finally {
      await browser.close();
    }
  });
});
