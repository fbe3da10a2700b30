import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'data',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
