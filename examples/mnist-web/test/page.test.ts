// The built page in real headless Chromium: it trains on each backend, falls back when WebGPU is
// missing and says so, and predicts a digit drawn with the mouse.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { useWebBackend } from '@neurona/backend-web';
import { loadMnist } from '@neurona/datasets';
import { kerasModelBytes } from '@neurona/keras';
import { Dense } from '@neurona/layers';
import { Sequential } from '@neurona/models';
import { dispose, reshape, slice } from '@neurona/tensor';
import { distDir, pkgDir } from './dist';
import { overBudget, visitSize } from '../scripts/measure-size.mjs';
import { describePage, drawOne, launchChromium, open, text, waitForTraining, type Visit } from './browser';

const origin = inject('mnistWebOrigin');
const setupError = inject('mnistWebError');
const artifacts = join(pkgDir, 'test-artifacts');
const TRAIN_MS = 220_000;

let browser: Browser;
beforeAll(async () => {
  if (setupError) throw new Error(setupError);
  mkdirSync(artifacts, { recursive: true });
  browser = await launchChromium(true);
});
afterAll(async () => {
  await browser?.close();
});

/** Open the page with `query`, wait for training to end, save a screenshot, check the outcome. */
async function trainsTo(b: Browser, query: string, shot: string, minValAccuracy = 0.6): Promise<Visit> {
  const v = await open(b, origin, query);
  const status = await waitForTraining(v, TRAIN_MS);
  await v.page.screenshot({ path: join(artifacts, `${shot}.png`), fullPage: true });
  const state = await describePage(v);
  expect(status, state).toBe('done');
  expect(Number(await text(v.page, 'val-accuracy')), state).toBeGreaterThan(minValAccuracy);
  expect(v.errors, state).toEqual([]);
  expect(v.blocked, 'requests off the loopback server').toEqual([]);
  const times = JSON.parse((await v.page.getByTestId('epoch-times').getAttribute('data-ms')) ?? '[]') as number[];
  console.log(`${shot}: ${await text(v.page, 'backend')} | val accuracy ${await text(v.page, 'val-accuracy')} | epoch ms ${times.join(', ')}`);
  return v;
}

/**
 * Two .keras files written by neurona in Node: an MLP taking [784] (the page's [28, 28] digits are
 * reshaped for it), trained 8 epochs on digits 500 to 1499 (the page's samples=500 are the first 500,
 * so its test split is new to the model), and a model whose [100] input no MNIST digit fits.
 */
async function kerasFiles(dir: string): Promise<{ mlp: string; wrong: string }> {
  await useWebBackend({ force: 'cpu', silent: true });
  const { x, y } = await loadMnist({ limit: 1500 });
  const flat = reshape(slice(x, [500, 0, 0], [1000, 28, 28]), [1000, 784]);
  const labels = slice(y, [500, 0], [1000, 10]);
  const mlp = Sequential([Dense(32, { inputShape: [784], activation: 'relu' }), Dense(10, { activation: 'softmax' })]);
  mlp.compile({ loss: 'categorical_crossentropy', optimizer: 'adam', metrics: ['accuracy'] });
  await mlp.fit(flat, labels, { epochs: 8, batchSize: 32, verbose: 0 });
  const wrong = Sequential([Dense(10, { inputShape: [100], activation: 'softmax' })]);
  const files = { mlp: join(dir, 'flat-mlp.keras'), wrong: join(dir, 'wrong-input.keras') };
  writeFileSync(files.mlp, await kerasModelBytes(mlp));
  writeFileSync(files.wrong, await kerasModelBytes(wrong));
  dispose([x, y, flat, labels]);
  mlp.dispose();
  wrong.dispose();
  return files;
}

describe('mnist-web in headless Chromium', () => {
  it('trains on WebGPU (the software adapter) by default', async () => {
    const v = await trainsTo(browser, 'autostart=1&epochs=1&samples=2000', 'webgpu');
    const backend = await text(v.page, 'backend');
    expect(backend).toMatch(/^webgpu \(.*swiftshader.*software adapter/);
    expect(await v.page.getByTestId('webgpu-notice').isHidden()).toBe(true);
    // the model's layer graph, drawn by plotModel
    const plot = await v.page.getByTestId('model-plot').innerHTML();
    expect(plot).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(plot).toContain('(Dense)');
    // the page weight a WebGPU visit downloads, against size-budget.json (scripts/measure-size.mjs)
    const size = visitSize(distDir, v.fetched);
    console.log(`webgpu visit: ${(size.jsGzip / 1024).toFixed(1)} KB of gzipped JavaScript (${size.js.map((f) => f.file).join(', ')})`);
    expect(overBudget('webgpu', size)).toEqual([]);
    // neuronaChunks (vite.config.ts): the wasm backend's file stays off a WebGPU visit
    expect(size.js.map((f) => f.file).filter((f) => f.startsWith('assets/wasm-'))).toEqual([]);
    await v.page.close();
  });

  it('trains the CNN on WebGPU (the software adapter) and predicts a drawn digit', async () => {
    // A small run: software WebGPU does the convolutions on the CPU (~0.1 s a training digit here)
    const v = await trainsTo(browser, 'autostart=1&model=cnn&epochs=1&samples=300&batch=16', 'cnn-webgpu', 0.2);
    expect(await text(v.page, 'backend')).toMatch(/^webgpu \(.*swiftshader.*software adapter/);
    const plot = await v.page.getByTestId('model-plot').innerHTML();
    expect(plot).toContain('(Conv2D)');
    expect(plot).toContain('(MaxPooling2D)');
    const probs = await drawOne(v);
    expect(probs).toHaveLength(10);
    const total = probs.reduce((s, p) => s + p, 0);
    expect(total).toBeGreaterThan(99);
    expect(total).toBeLessThan(101);
    expect(v.errors).toEqual([]);
    await v.page.screenshot({ path: join(artifacts, 'cnn-drawing.png'), fullPage: true });
    await v.page.close();
  });

  it('trains on wasm, with the .wasm binaries served from dist', async () => {
    const v = await trainsTo(browser, 'autostart=1&epochs=1&samples=2000&backend=wasm', 'wasm');
    expect(await text(v.page, 'backend')).toMatch(/^wasm \(forced by the force option; SIMD on/);
    // tfjs may fetch it twice (streaming compile, then a retry); either way only the SIMD binary, from dist
    expect([...new Set(v.fetched.filter((p) => p.endsWith('.wasm')))]).toEqual([expect.stringMatching(/^\/assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/)]);
    const size = visitSize(distDir, v.fetched);
    console.log(`wasm visit: ${(size.jsGzip / 1024).toFixed(1)} KB of gzipped JavaScript, ${(size.wasmGzip / 1024).toFixed(1)} KB of gzipped wasm`);
    expect(overBudget('wasm', size)).toEqual([]);
    // neuronaChunks (vite.config.ts): the WebGPU backend's and plan's files stay off a wasm visit
    expect(size.js.map((f) => f.file).filter((f) => f.startsWith('assets/webgpu-'))).toEqual([]);
    await v.page.close();
  });

  it('trains on WebGL (SwiftShader GL)', async () => {
    const v = await trainsTo(browser, 'autostart=1&epochs=1&samples=2000&backend=webgl', 'webgl');
    expect(await text(v.page, 'backend')).toMatch(/^webgl \(forced by the force option; WebGL 2/);
    // neither the WebGPU nor the wasm group's files (neuronaChunks, vite.config.ts)
    expect(v.fetched.filter((f) => /^\/assets\/(webgpu|wasm)-/.test(f))).toEqual([]);
    await v.page.close();
  });

  it('falls back, and says so, when WebGPU is missing', async () => {
    const plain = await launchChromium(false);
    try {
      // Without the flag Chromium 156 still has navigator.gpu, but requestAdapter() gives null
      const v = await trainsTo(plain, 'autostart=1&epochs=1&samples=2000', 'no-webgpu-fallback');
      const backend = await text(v.page, 'backend');
      expect(backend).not.toMatch(/^webgpu/);
      const chosen = backend.split(' ')[0];
      const notice = v.page.getByTestId('webgpu-notice');
      expect(await notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toMatch(new RegExp(`^WebGPU is not available in this browser: navigator\\.gpu(\\.requestAdapter\\(\\) found no adapter| is missing).*Training runs on ${chosen} instead\\.$`));
      expect(await text(v.page, 'backend-details')).toMatch(/^webgpu: skipped/);
      await v.page.close();

      // Asked for by name, WebGPU is not replaced by another backend: the page says why it failed
      const forced = await open(plain, origin, 'autostart=1&epochs=1&samples=200&backend=webgpu');
      expect(await waitForTraining(forced, 60_000)).toMatch(/^error: Backend "webgpu" was forced by the force option but cannot start: navigator\.gpu/);
      expect(await text(forced.page, 'backend')).toBe('webgpu could not start');
      await forced.page.close();
    } finally {
      await plain.close();
    }
  });

  it('reports bad URL parameters instead of training', async () => {
    const v = await open(browser, origin, 'autostart=1&epochs=0&model=resnet');
    expect(await waitForTraining(v, 30_000)).toBe(
      'error: bad URL parameters: model must be one of perceptron, mlp, cnn, got "resnet"; epochs must be an integer from 1 to 1000, got "0"',
    );
    await v.page.close();
  });

  it('predicts a digit drawn with the mouse', async () => {
    const v = await trainsTo(browser, 'autostart=1&epochs=2&samples=2000&backend=wasm', 'drawing');
    const probs = await drawOne(v);
    expect(probs).toHaveLength(10);
    const total = probs.reduce((s, p) => s + p, 0);
    expect(total).toBeGreaterThan(99);
    expect(total).toBeLessThan(101);
    expect(await text(v.page, 'prediction')).toBe('1');
    await v.page.screenshot({ path: join(artifacts, 'drawing.png'), fullPage: true });
    expect(v.errors).toEqual([]);
    await v.page.close();
  });

  it('opens a .keras file chosen by the person and predicts with it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-web-keras-'));
    try {
      const files = await kerasFiles(dir);
      const v = await open(browser, origin, 'samples=500&backend=wasm');
      await v.page.waitForFunction(() => (document.querySelector('[data-testid="backend"]')?.textContent ?? '').startsWith('wasm'));
      const before = v.fetched.length;
      const opened = async (file: string): Promise<string> => {
        await v.page.getByTestId('open-model').setInputFiles(file);
        await v.page.waitForFunction(() => /(layers|\])$|^could not/.test(document.querySelector('[data-testid="opened-model"]')?.textContent ?? ''), undefined, { timeout: 120_000 });
        return text(v.page, 'opened-model');
      };

      // The wrong model is refused with what was expected and found; the page has no model yet
      expect(await opened(files.wrong)).toBe(
        "could not open wrong-input.keras: the model's input is [null, 100]; an MNIST model takes [null, 28, 28], [null, 784] or [null, 28, 28, 1]",
      );
      expect(await text(v.page, 'status')).toBe('idle');
      // The Keras reader came on demand, not with the page
      expect(v.fetched.slice(0, before).some((p) => /hdf5/.test(p))).toBe(false);
      expect(v.fetched.slice(before).some((p) => /hdf5/.test(p))).toBe(true);

      expect(await opened(files.mlp)).toBe('flat-mlp.keras: input [null, 784] · 2 layers');
      expect(await text(v.page, 'status')).toBe('done');
      expect(await v.page.getByTestId('model-plot').innerHTML()).toContain('(Dense)');
      // Its test-split report: 100 test digits, none of which the MLP was trained on
      const accuracy = Number(await text(v.page, 'test-accuracy'));
      console.log(`opened .keras MLP: test accuracy ${accuracy}`);
      expect(accuracy).toBeGreaterThan(0.6);
      const probs = await drawOne(v);
      expect(probs).toHaveLength(10);
      const total = probs.reduce((s, p) => s + p, 0);
      expect(total).toBeGreaterThan(99);
      expect(total).toBeLessThan(101);
      await v.page.screenshot({ path: join(artifacts, 'opened-keras.png'), fullPage: true });
      expect(v.errors).toEqual([]);
      expect(v.blocked).toEqual([]);
      await v.page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
