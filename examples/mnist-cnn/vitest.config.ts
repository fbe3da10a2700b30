import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mnist-cnn',
    setupFiles: ['../../test/setup-backend.ts'],
    testTimeout: 300_000,
  },
});
