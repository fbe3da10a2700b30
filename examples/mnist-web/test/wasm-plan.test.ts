// The wasm visit trains on the compiled plan: the page turns neurona's fast kernels on for the wasm
// backend (useWebBackend({ fastKernels: true }), one thread in a browser), so fit's training step
// runs the plan, not tfjs's gradient tape. The page is built with a probe (tape-probe.ts) that
// counts the tape's gradient computations: none on the wasm visit; and, so that the probe is known
// to count, some on a WebGL visit (device memory: the perceptron trains on the tape there).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { describePage, launchChromium, open, serveDir, text, waitForTraining } from './browser';
import { pkgDir } from './dist';
import { tapeProbe } from './tape-probe';

const out = mkdtempSync(join(tmpdir(), 'mnist-web-tape-probe-'));
let browser: Browser;
let server: Awaited<ReturnType<typeof serveDir>>;

beforeAll(async () => {
  await build({ root: pkgDir, configFile: join(pkgDir, 'vite.config.ts'), logLevel: 'warn', plugins: [tapeProbe()], build: { outDir: out, emptyOutDir: true } });
  server = await serveDir(out);
  browser = await launchChromium(false);
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(out, { recursive: true, force: true });
});

describe('the wasm visit', () => {
  it('trains the MLP on the compiled plan with the fast kernels, as accurately as on the tape', async () => {
    const v = await open(browser, server.origin, 'autostart=1&epochs=1&samples=2000&backend=wasm');
    expect(await waitForTraining(v, 220_000), await describePage(v)).toBe('done');
    expect(await text(v.page, 'backend')).toMatch(/^wasm \(forced by the force option; SIMD on.*\) · fast kernels on 1 thread$/);
    const gradients = await v.page.evaluate(() => (globalThis as { neuronaTapeGradients?: number }).neuronaTapeGradients ?? 0);
    expect(gradients, 'gradients computed on the tape').toBe(0);
    // the same seeded run reached 0.8450 on the tape (README); the plan sums in another order
    const accuracy = Number(await text(v.page, 'val-accuracy'));
    expect(accuracy).toBeGreaterThan(0.8);
    expect(v.errors).toEqual([]);
    const times = JSON.parse((await v.page.getByTestId('epoch-times').getAttribute('data-ms')) ?? '[]') as number[];
    console.log(`wasm on the plan: ${await text(v.page, 'backend')} | val accuracy ${accuracy} | epoch ms ${times.join(', ')}`);
    await v.page.close();
  }, 300_000);

  it('the probe counts the tape\'s gradients where a model trains on the tape (WebGL)', async () => {
    const webgl = await launchChromium(true);
    try {
      const v = await open(webgl, server.origin, 'autostart=1&epochs=1&samples=300&backend=webgl&model=perceptron');
      expect(await waitForTraining(v, 220_000), await describePage(v)).toBe('done');
      const gradients = await v.page.evaluate(() => (globalThis as { neuronaTapeGradients?: number }).neuronaTapeGradients ?? 0);
      expect(gradients).toBeGreaterThan(0);
    } finally {
      await webgl.close();
    }
  }, 300_000);
});
