// The test setup's browser lookup (scripts/find-browser.mjs): which Chromium wins, what a bad
// CHROMIUM_PATH says, how a missing one gets installed, and the environment handed to tests.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEBIAN_CHROMIUM, findBrowser, installPlan, testEnv } from '../scripts/find-browser.mjs';

const PW = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux64/chrome';
const PW_DIR = '/home/u/.cache/ms-playwright/chromium-1/chrome-linux64';
const fs = (...files: string[]) => (p: string) => files.includes(p);

describe('findBrowser', () => {
  it('takes CHROMIUM_PATH first, then Debian, then Playwright', () => {
    const all = fs('/opt/c/chrome', DEBIAN_CHROMIUM, PW);
    expect(findBrowser({ env: { CHROMIUM_PATH: '/opt/c/chrome' }, exists: all, playwrightPath: PW })).toMatchObject({ chromium: '/opt/c/chrome', source: 'CHROMIUM_PATH' });
    expect(findBrowser({ env: {}, exists: all, playwrightPath: PW })).toMatchObject({ chromium: DEBIAN_CHROMIUM, source: 'debian' });
    expect(findBrowser({ env: {}, exists: fs(PW), playwrightPath: PW })).toMatchObject({ chromium: PW, source: 'playwright', dir: PW_DIR });
  });

  it('returns null when there is none, and says what is wrong with a CHROMIUM_PATH that names no file', () => {
    expect(findBrowser({ env: {}, exists: fs(), playwrightPath: PW })).toBeNull();
    expect(findBrowser({ env: {}, exists: fs(), playwrightPath: null })).toBeNull();
    expect(() => findBrowser({ env: { CHROMIUM_PATH: '/nope/chrome' }, exists: fs(DEBIAN_CHROMIUM), playwrightPath: null })).toThrow(
      'CHROMIUM_PATH is /nope/chrome, but there is no file there',
    );
  });

  it('finds the SwiftShader driver beside the browser', () => {
    const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';
    expect(findBrowser({ env: {}, exists: fs(DEBIAN_CHROMIUM, icd), playwrightPath: null })?.swiftshaderIcd).toBe(icd);
    expect(findBrowser({ env: {}, exists: fs(DEBIAN_CHROMIUM), playwrightPath: null })?.swiftshaderIcd).toBeNull();
  });

  it('finds a real browser on this machine, and the setup script reports it', () => {
    const found = findBrowser();
    expect(found, 'no Chromium: run `node scripts/setup-test-env.mjs`').not.toBeNull();
    const out = execFileSync(process.execPath, ['scripts/setup-test-env.mjs', '--check'], { cwd: new URL('..', import.meta.url), encoding: 'utf8' });
    expect(out).toContain(`Chromium found (${found?.source}): ${found?.chromium}`);
  });
});

describe('installPlan', () => {
  it('uses apt as root on Debian, Playwright elsewhere', () => {
    expect(installPlan({ isRoot: true, isDebian: true, hasApt: true })).toEqual({ kind: 'apt', packages: ['chromium', 'libvulkan1'] });
    expect(installPlan({ isRoot: false, isDebian: true, hasApt: true })).toEqual({ kind: 'playwright' });
    expect(installPlan({ isRoot: true, isDebian: false, hasApt: false })).toEqual({ kind: 'playwright' });
  });
});

describe('testEnv', () => {
  const b = { chromium: PW, dir: PW_DIR, swiftshaderIcd: `${PW_DIR}/vk_swiftshader_icd.json` };
  it('sets the browser, the SwiftShader driver and, without a system loader, Chromium’s Vulkan loader', () => {
    expect(testEnv(b, { env: { LD_LIBRARY_PATH: '/x' }, systemVulkan: false, exists: fs(`${b.dir}/libvulkan.so.1`) })).toEqual({
      CHROMIUM_PATH: PW,
      VK_ICD_FILENAMES: b.swiftshaderIcd,
      LD_LIBRARY_PATH: `/x:${b.dir}`,
    });
  });
  it('leaves variables already set alone', () => {
    expect(testEnv(b, { env: { CHROMIUM_PATH: '/c', VK_ICD_FILENAMES: '/gpu.json' }, systemVulkan: true })).toEqual({});
  });
});
