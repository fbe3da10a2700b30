import { defineProject } from 'vitest/config';

// Interoperability tests against tfjs-layers (a devDependency of this package only, so the
// library packages stay free of @tensorflow/* as the dependency rule requires).
export default defineProject({
  test: {
    name: 'bench-interop',
    include: ['test/**/*.test.ts'],
    setupFiles: ['../test/setup-backend.ts'],
    testTimeout: 60_000,
  },
});
