// Serve a directory on loopback and drive the page in Debian's headless Chromium (SwiftShader
// gives it software WebGPU and WebGL). Every request off the server is blocked and recorded.
import { chromium, type Browser, type Page } from 'playwright-core';

export { serveDir } from '../scripts/serve.mjs';

// CHROMIUM_PATH is set by the root vitest config (scripts/find-browser.mjs: CHROMIUM_PATH, Debian's
// chromium or Playwright's); Debian's path when this project runs on its own config.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const COMMON_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Headless Chromium, with WebGPU exposed unless `webgpu` is false. */
export function launchChromium(webgpu = true): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: webgpu ? ['--enable-unsafe-webgpu', ...COMMON_ARGS] : COMMON_ARGS });
}

/** An open page and what happened in it. */
export interface Visit {
  page: Page;
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** Every console line, for failure messages. */
  console: string[];
  /** Paths fetched from the server. */
  fetched: string[];
  /** Requests to anywhere else (blocked). */
  blocked: string[];
}

/** Open `origin/?query` in a new page of `browser`. */
export async function open(browser: Browser, origin: string, query: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
  const v: Visit = { page, errors: [], console: [], fetched: [], blocked: [] };
  page.on('pageerror', (e) => v.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    v.console.push(`${m.type()}: ${m.text()}`);
    if (m.type() === 'error') v.errors.push(`console.error: ${m.text()}`);
  });
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('blob:') || url.startsWith('data:')) {
      v.fetched.push(url.slice(origin.length));
      await route.continue();
    } else {
      v.blocked.push(url);
      await route.abort();
    }
  });
  await page.goto(`${origin}/?${query}`);
  return v;
}

/** The text of `[data-testid=id]`. */
export async function text(page: Page, id: string): Promise<string> {
  return (await page.getByTestId(id).textContent())?.trim() ?? '';
}

/**
 * Wait until the status is `done` or an error; returns it. On a timeout the error says where the
 * page was (status, phase, progress, backend) and what it logged.
 */
export async function waitForTraining(v: Visit, timeoutMs: number): Promise<string> {
  try {
    await v.page.waitForFunction(
      () => /^(done|error)/.test(document.querySelector('[data-testid="status"]')?.textContent ?? ''),
      undefined,
      { timeout: timeoutMs, polling: 250 },
    );
  } catch (err) {
    const where = await Promise.all(['status', 'phase', 'epoch', 'backend'].map(async (id) => `${id}: ${await text(v.page, id)}`));
    throw new Error(`${(err as Error).message.split('\n')[0]}\n${where.join('\n')}\nconsole:\n${v.console.join('\n')}`, { cause: err });
  }
  return text(v.page, 'status');
}

/** A page's state in one string, for assertion messages. */
export async function describePage(v: Visit): Promise<string> {
  const ids = ['status', 'backend', 'backend-details', 'webgpu-notice', 'epoch', 'val-accuracy', 'epoch-times'];
  const lines = await Promise.all(ids.map(async (id) => `${id}: ${await text(v.page, id)}`));
  return `${lines.join('\n')}\nerrors: ${v.errors.join(' | ') || 'none'}\nconsole:\n${v.console.join('\n')}`;
}

/** Draw a "1" (one vertical stroke down the middle of the pad); returns the 10 probabilities (%) shown. */
export async function drawOne(v: Visit): Promise<number[]> {
  // The CNN's layer graph is tall: bring the pad into the viewport, or the mouse misses it
  const pad = v.page.getByTestId('draw-canvas');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  const x = box.x + box.width / 2;
  await v.page.mouse.move(x, box.y + box.height * 0.15);
  await v.page.mouse.down();
  for (let i = 1; i <= 20; i++) await v.page.mouse.move(x + i * 0.8, box.y + box.height * (0.15 + i * 0.035));
  await v.page.mouse.up();
  const drawn = performance.now();
  try {
    await v.page.waitForFunction(() => /^\d$/.test(document.querySelector('[data-testid="prediction"]')?.textContent ?? ''), undefined, { timeout: 60_000 });
    console.log(`prediction ${(performance.now() - drawn).toFixed(0)} ms after the stroke`);
  } catch (err) {
    throw new Error(`no prediction: "${await text(v.page, 'prediction')}"\n${await describePage(v)}`, { cause: err });
  }
  const probs = await v.page.getByTestId('probabilities').locator('li').allTextContents();
  return probs.map((p) => Number(p.split(': ')[1].replace('%', '')));
}
