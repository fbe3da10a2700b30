import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'lion-demo',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 120_000,
  },
});
