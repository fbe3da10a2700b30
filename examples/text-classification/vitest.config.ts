import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'text-classification',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 300_000,
  },
});
