import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'from-keras',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 120_000,
  },
});
