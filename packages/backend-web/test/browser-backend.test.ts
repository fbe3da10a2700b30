import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, visit, type Visit } from './browser';
import { WEB_BACKENDS } from '../src/index';
import { EXPECTED } from '../../../test/conformance/expected';
import { differences } from '../../../test/conformance/compare';

let browser: Browser | undefined;
let origin = '';

beforeAll(async () => {
  const pageError = inject('pageError');
  if (pageError) throw new Error(pageError);
  origin = inject('pageOrigin');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

function open(query: string, timeoutMs = 120_000): Promise<Visit> {
  if (!browser) throw new Error('Chromium did not start');
  return visit(browser, origin, query, timeoutMs);
}

describe('useWebBackend in headless Chromium (Vite-bundled page)', () => {
  it('tries WebGPU, WebGL, wasm, cpu in order and says why it skipped each', async () => {
    const { result } = await open('');
    expect(result.ok, result.error).toBe(true);
    const choice = result.choice!;
    expect(choice.tried.map((t) => t.name)).toEqual(WEB_BACKENDS.slice(0, choice.tried.length));
    expect(choice.tried.at(-1)?.ok).toBe(true);
    expect(result.log).toHaveLength(1);
    console.log(result.log[0]);
    // Chromium here has SwiftShader only: both GPU paths are software, so wasm wins.
    const [webgpu, webgl] = choice.tried;
    if (/software/.test(webgpu.reason) && webgl && /software/.test(webgl.reason)) {
      expect(choice.chosen).toBe('wasm');
      expect(webgpu.reason).toMatch(/^only a software adapter, google swiftshader/);
      expect(webgl.reason).toMatch(/^only a software renderer, .*SwiftShader/);
      expect(result.log[0]).toMatch(/^neurona backend: wasm \(SIMD on, threads (on|off)\) \| skipped webgpu: .+; webgl: .+$/);
    }
  });

  it('loads the wasm binaries from the bundle, with no outside request, and computes right', async () => {
    const { result, fetched, blocked } = await open('force=wasm&conformance=1');
    expect(result.ok, result.error).toBe(true);
    expect(result.choice!.info).toMatchObject({ name: 'wasm', kind: 'cpu', capabilities: { memory: 'wasm-heap', syncRead: true, gpu: false }, details: { simd: true } });
    expect(blocked).toEqual([]);
    expect(fetched.some((u) => /\/assets\/tfjs-backend-wasm-simd-[\w-]+\.wasm$/.test(u))).toBe(true);
    const wrong = result.vectors!.flatMap((r) => (r.error ? [`${r.name}: ${r.error}`] : differences(r.outputs, EXPECTED[r.name]).map((d) => `${r.name}: ${d}`)));
    expect(wrong).toEqual([]);
  });

  it('WebGL can be forced (software renderer here) and computes right', async () => {
    const { result } = await open('force=webgl&conformance=1');
    expect(result.ok, result.error).toBe(true);
    expect(result.choice!.info).toMatchObject({ name: 'webgl', kind: 'gpu', capabilities: { memory: 'device', syncRead: true, gpu: true } });
    const wrong = result.vectors!.flatMap((r) => (r.error ? [`${r.name}: ${r.error}`] : differences(r.outputs, EXPECTED[r.name]).map((d) => `${r.name}: ${d}`)));
    expect(wrong).toEqual([]);
  });

  it('an unknown forced name fails and lists the known names', async () => {
    const { result } = await open('force=tpu');
    expect(result.ok).toBe(false);
    expect(result.error).toBe('Unknown backend "tpu" (forced by the force option). Known backends: webgpu, webgl, wasm, cpu');
  });
});
