import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-node',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
