import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'sequence-forecast',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 180_000,
  },
});
