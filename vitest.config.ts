import { defineConfig } from 'vitest/config';

// One vitest run over every package (each its own project) plus the repository-wide tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*', 'test', 'bench'],
    pool: 'forks',
    reporters: ['default'],
  },
});
