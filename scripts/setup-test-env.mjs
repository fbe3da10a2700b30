#!/usr/bin/env node
// Makes sure the browser tests can run: finds a Chromium (CHROMIUM_PATH, Debian's chromium,
// Playwright's) and, where none is found, installs one (apt as root on Debian, Playwright's
// installer elsewhere), saying what it did. Run by `pnpm test` before the suite; the suite's
// vitest config then finds the same browser and sets CHROMIUM_PATH, VK_ICD_FILENAMES and, if
// needed, LD_LIBRARY_PATH for the tests. `--check` only reports; it installs nothing.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { findBrowser, installPlan, systemVulkanLoader, testEnv } from './find-browser.mjs';

const checkOnly = process.argv.includes('--check');
const say = (line) => console.log(`setup-test-env: ${line}`);

function host() {
  return {
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    isDebian: existsSync('/etc/debian_version'),
    hasApt: existsSync('/usr/bin/apt-get'),
  };
}

function run(cmd, args, env = process.env) {
  say(`running: ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', env });
}

function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  run('apt-get', [...lock, 'update'], env);
  run('apt-get', [...lock, 'install', '-y', '--no-install-recommends', ...packages], env);
}

function playwrightInstall() {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('playwright-core/cli');
  run(process.execPath, [cli, 'install', 'chromium']);
}

let browser = findBrowser();
if (browser) {
  say(`Chromium found (${browser.source}): ${browser.chromium}`);
} else if (checkOnly) {
  say('no Chromium found (CHROMIUM_PATH unset, no Debian chromium, no Playwright Chromium); run without --check to install one');
  process.exit(1);
} else {
  const plan = installPlan(host());
  say(`no Chromium found (CHROMIUM_PATH unset, no ${'/usr/lib/chromium/chromium'}, no Playwright Chromium): installing one with ${plan.kind === 'apt' ? `apt (${plan.packages.join(', ')})` : "Playwright's installer"}`);
  try {
    if (plan.kind === 'apt') aptInstall(plan.packages);
    else playwrightInstall();
  } catch (err) {
    console.error(`setup-test-env: installing Chromium failed: ${err.message}`);
    console.error('setup-test-env: install one yourself (Debian: apt-get install chromium libvulkan1; elsewhere: npx playwright-core install chromium) or set CHROMIUM_PATH');
    process.exit(1);
  }
  browser = findBrowser();
  if (!browser) {
    console.error('setup-test-env: the install finished but no Chromium is where it should be');
    process.exit(1);
  }
  say(`installed Chromium (${browser.source}): ${browser.chromium}`);
}

// Dawn (WebGPU in Node) needs a Vulkan loader: the system's, or the one Chromium ships
let vulkan = systemVulkanLoader();
if (!vulkan && !checkOnly && host().isRoot && host().isDebian && host().hasApt && browser.source === 'debian') {
  say('no Vulkan loader (libvulkan.so.1) for Dawn: installing libvulkan1 with apt');
  aptInstall(['libvulkan1']);
  vulkan = systemVulkanLoader();
}
const env = testEnv(browser, { systemVulkan: vulkan });
say(`SwiftShader for Dawn: ${browser.swiftshaderIcd ?? 'not beside this Chromium (the Dawn tests need a Vulkan driver of their own)'}`);
say(`Vulkan loader: ${vulkan ? 'system' : env.LD_LIBRARY_PATH ? `Chromium's (${browser.dir})` : 'none'}`);
