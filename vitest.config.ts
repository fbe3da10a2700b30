import { defineConfig } from 'vitest/config';
import { findBrowser, systemVulkanLoader, testEnv } from './scripts/find-browser.mjs';

// The browser and Dawn tests' environment, found once here (this runs before any test worker
// starts, and the workers inherit it): CHROMIUM_PATH, SwiftShader for Dawn, a Vulkan loader.
// `pnpm test` runs scripts/setup-test-env.mjs first, which installs a Chromium if none is found.
const browser = findBrowser();
if (browser) Object.assign(process.env, testEnv(browser, { systemVulkan: systemVulkanLoader() }));

// One vitest run over every package (each its own project) plus the repository-wide tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'test', 'bench'],
    pool: 'forks',
    reporters: ['default'],
  },
});
