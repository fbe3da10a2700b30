// `neurona` in a browser: Vite bundles a page that imports only `neurona` (and `neurona/vite`),
// the package's `browser` condition must hand it @neurona/backend-web (nothing of backend-node,
// which needs node: modules), and the page trains a model in headless Chromium.
import { createServer } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageResult } from './page/result';

// CHROMIUM_PATH is set by the root vitest config (scripts/find-browser.mjs)
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

let dir = '';
let origin = '';
let close: () => Promise<void> = async () => {};
let browser: Browser | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'neurona-umbrella-page-'));
  await build({
    root: fileURLToPath(new URL('./page/', import.meta.url)),
    base: './',
    logLevel: 'error',
    configFile: false,
    build: { outDir: dir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 10_000 },
  });
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((r) => server.close(() => r()));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-background-networking', '--no-first-run'] });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('neurona in the browser', () => {
  it('bundles with @neurona/backend-web and none of backend-node', async () => {
    const assets = await readdir(join(dir, 'assets'));
    const js = (await Promise.all(assets.filter((f) => f.endsWith('.js')).map((f) => readFile(join(dir, 'assets', f), 'utf8')))).join('\n');
    // backend-web's messages are in the bundle; backend-node's (its tfjs-node-gpu candidate, its Dawn
    // hint) are not
    expect(js).toContain('navigator.gpu is missing');
    const nodeOnly = js.match(/useNodeBackend|tfjs-node-gpu|VK_ICD_FILENAMES|node:child_process/g) ?? [];
    expect(nodeOnly, 'backend-node code in the browser bundle').toEqual([]);
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
  });

  it('trains a model in Chromium on wasm, from the page’s own assets', async () => {
    const page = await (browser as Browser).newPage();
    const errors: string[] = [];
    const outside: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(`${origin}/?backend=wasm`);
    const handle = await page.waitForFunction(() => (window as unknown as { neuronaResult?: unknown }).neuronaResult, undefined, { timeout: 120_000, polling: 200 });
    const r = (await handle.jsonValue()) as PageResult;
    await page.close();
    expect(r.error, r.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    expect(r.backend).toBe('wasm');
    expect(r.loss).toHaveLength(40);
    expect(r.loss[39]).toBeLessThan(r.loss[0] / 3);
    expect(r.accuracy).toBeGreaterThan(0.95);
    expect(r.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*dense\S* \(Dense\)[\s\S]*<\/svg>$/);
  }, 150_000);
});
