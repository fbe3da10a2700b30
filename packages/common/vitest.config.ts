import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'common',
    testTimeout: 60_000,
  },
});
