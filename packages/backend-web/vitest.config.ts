import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-web',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
