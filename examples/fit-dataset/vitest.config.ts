import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'fit-dataset',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 120_000,
  },
});
