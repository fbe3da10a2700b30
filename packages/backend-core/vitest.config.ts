import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'backend-core',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
