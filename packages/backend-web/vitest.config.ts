import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-web',
    setupFiles: ['../../test/setup-backend.ts'],
    globalSetup: ['./test/global-setup.ts'],
    // Software WebGPU (SwiftShader) compiles each shader in up to seconds on a busy 2-core machine
    testTimeout: 60_000,
    hookTimeout: 240_000,
  },
});
