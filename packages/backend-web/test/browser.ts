// Build the test page with Vite into a temp dir, serve it on 127.0.0.1 and open it in headless
// Chromium (Debian's, with SwiftShader for WebGPU/WebGL) with every outside request blocked.
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'vite';
import { chromium, type Browser } from 'playwright-core';
import type { PageResult } from './page/main';

// CHROMIUM_PATH is set by the root vitest config (scripts/find-browser.mjs: CHROMIUM_PATH, Debian's
// chromium or Playwright's); Debian's path when this project runs on its own config.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const pageRoot = fileURLToPath(new URL('./page/', import.meta.url));

/** Vite-build the test page into a fresh temp dir; returns that dir. */
export async function buildPage(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), 'neurona-page-'));
  await build({
    root: pageRoot,
    base: './',
    logLevel: 'error',
    configFile: false,
    build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false, chunkSizeWarningLimit: 10_000 },
  });
  return outDir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.map': 'application/json',
};

/** Serve `dir` on 127.0.0.1 (a random port); returns its origin and a closer. */
export async function serveDir(dir: string): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Headless Chromium with WebGPU enabled. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** What a page visit gave: the page's result, the URLs it fetched, and blocked outside requests. */
export interface Visit {
  result: PageResult;
  fetched: string[];
  blocked: string[];
  console: string[];
}

/** Open `origin/?query` and wait for the page's result. */
export async function visit(browser: Browser, origin: string, query: string, timeoutMs: number): Promise<Visit> {
  const page = await browser.newPage();
  const fetched: string[] = [];
  const blocked: string[] = [];
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) {
      fetched.push(url.slice(origin.length));
      await route.continue();
    } else {
      blocked.push(url);
      await route.abort();
    }
  });
  try {
    await page.goto(`${origin}/?${query}`);
    const handle = await page.waitForFunction(() => (window as unknown as { neuronaResult?: unknown }).neuronaResult, undefined, { timeout: timeoutMs, polling: 250 });
    return { result: (await handle.jsonValue()) as PageResult, fetched, blocked, console: consoleLines };
  } catch (err) {
    throw new Error(`${(err as Error).message}\npage console:\n${consoleLines.join('\n')}`, { cause: err });
  } finally {
    await page.close();
  }
}
