import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'kernels',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
