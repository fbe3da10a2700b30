import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mnist-web',
    globalSetup: ['./test/global-setup.ts'],
    // Software WebGPU (SwiftShader) compiles each shader in seconds on a busy 2-core machine
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
