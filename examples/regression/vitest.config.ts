import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'regression',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 120_000,
  },
});
