import { beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium, visit, type Visit } from './browser';
import { defineVectorTests } from '../../../test/conformance/node-suite';

// The conformance vectors on WebGPU in headless Chromium (SwiftShader here), computed in one
// page visit; each vector is then checked as its own test. If WebGPU cannot start, every test
// fails with the reason.
let visitResult: Visit | undefined;
let failure: Error | undefined;

beforeAll(async () => {
  try {
    const pageError = inject('pageError');
    if (pageError) throw new Error(pageError);
    const browser = await launchChromium();
    try {
      visitResult = await visit(browser, inject('pageOrigin'), 'force=webgpu&conformance=1', 200_000);
    } finally {
      await browser.close();
    }
    if (!visitResult.result.ok) throw new Error(`WebGPU in Chromium did not start: ${visitResult.result.error}`);
  } catch (err) {
    failure = err as Error;
  }
}, 240_000);

describe('conformance on webgpu (headless Chromium)', () => {
  it('backend starts', () => {
    if (failure) throw failure;
    expect(visitResult!.result.choice!.info).toMatchObject({ name: 'webgpu', kind: 'gpu', capabilities: { memory: 'device', syncRead: false, gpu: true } });
    expect(visitResult!.blocked).toEqual([]);
  });
  defineVectorTests('webgpu (Chromium)', async (name) => {
    if (failure) throw failure;
    const r = visitResult!.result.vectors!.find((v) => v.name === name);
    if (!r) throw new Error(`the page did not run ${name}`);
    return r;
  });
});
