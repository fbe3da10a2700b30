// Where the tests' browser is: a Chromium for Playwright to drive, and the SwiftShader Vulkan
// driver that ships beside it (software WebGPU for the Dawn tests in Node). Pure lookups here;
// installing one is setup-test-env.mjs's job.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** Debian's chromium package: the real binary (the /usr/bin/chromium wrapper prints warnings). */
export const DEBIAN_CHROMIUM = '/usr/lib/chromium/chromium';

/**
 * The Chromium binary Playwright would download for the installed playwright-core (under
 * PLAYWRIGHT_BROWSERS_PATH or ~/.cache/ms-playwright), whether or not it is there; null when
 * playwright-core cannot be loaded.
 * @returns {string | null}
 */
export function playwrightChromiumPath() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    return chromium.executablePath();
  } catch {
    return null;
  }
}

/**
 * Find a Chromium, in this order: `CHROMIUM_PATH`, Debian's chromium, Playwright's. A
 * `CHROMIUM_PATH` that names no file is an error, not a reason to look elsewhere.
 * @param {{ env?: Record<string, string | undefined>, exists?: (path: string) => boolean, playwrightPath?: string | null }} [probe]
 * @returns {{ chromium: string, source: 'CHROMIUM_PATH' | 'debian' | 'playwright', dir: string, swiftshaderIcd: string | null } | null}
 */
export function findBrowser(probe = {}) {
  const env = probe.env ?? process.env;
  const exists = probe.exists ?? existsSync;
  const playwrightPath = probe.playwrightPath === undefined ? playwrightChromiumPath() : probe.playwrightPath;
  /** @type {Array<['CHROMIUM_PATH' | 'debian' | 'playwright', string | null | undefined]>} */
  const candidates = [
    ['CHROMIUM_PATH', env.CHROMIUM_PATH],
    ['debian', DEBIAN_CHROMIUM],
    ['playwright', playwrightPath],
  ];
  for (const [source, path] of candidates) {
    if (!path) continue;
    if (!exists(path)) {
      if (source === 'CHROMIUM_PATH') throw new Error(`CHROMIUM_PATH is ${path}, but there is no file there: point it at a Chromium binary, or unset it`);
      continue;
    }
    const dir = dirname(path);
    const icd = join(dir, 'vk_swiftshader_icd.json');
    return { chromium: path, source, dir, swiftshaderIcd: exists(icd) ? icd : null };
  }
  return null;
}

/**
 * How to install a Chromium where none is found: apt on Debian as root (it brings SwiftShader
 * and the Vulkan loader too), else Playwright's own installer (into ~/.cache/ms-playwright).
 * @param {{ isRoot: boolean, isDebian: boolean, hasApt: boolean }} host
 * @returns {{ kind: 'apt' | 'playwright', packages?: string[] }}
 */
export function installPlan(host) {
  if (host.isRoot && host.isDebian && host.hasApt) return { kind: 'apt', packages: ['chromium', 'libvulkan1'] };
  return { kind: 'playwright' };
}

/**
 * The environment the tests need for a found browser: `CHROMIUM_PATH` for Playwright, and for
 * Dawn in Node the SwiftShader driver (`VK_ICD_FILENAMES`) and, when the system has no Vulkan
 * loader, the one that ships beside Chromium (`LD_LIBRARY_PATH`). Variables already set win.
 * @param {{ chromium: string, dir: string, swiftshaderIcd: string | null }} browser
 * @param {{ env?: Record<string, string | undefined>, systemVulkan: boolean, exists?: (path: string) => boolean }} ctx
 * @returns {Record<string, string>}
 */
export function testEnv(browser, ctx) {
  const env = ctx.env ?? process.env;
  const exists = ctx.exists ?? existsSync;
  /** @type {Record<string, string>} */
  const out = {};
  if (!env.CHROMIUM_PATH) out.CHROMIUM_PATH = browser.chromium;
  if (!env.VK_ICD_FILENAMES && browser.swiftshaderIcd) out.VK_ICD_FILENAMES = browser.swiftshaderIcd;
  if (!ctx.systemVulkan && exists(join(browser.dir, 'libvulkan.so.1'))) {
    out.LD_LIBRARY_PATH = [env.LD_LIBRARY_PATH, browser.dir].filter(Boolean).join(':');
  }
  return out;
}

/**
 * Whether the system's dynamic linker finds a Vulkan loader (libvulkan.so.1), which Dawn needs.
 * @returns {boolean}
 */
export function systemVulkanLoader() {
  for (const dir of ['/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu', '/lib/aarch64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib']) {
    if (existsSync(join(dir, 'libvulkan.so.1'))) return true;
  }
  return false;
}
