import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'repo', include: ['*.test.ts'], setupFiles: ['./setup-backend.ts'], testTimeout: 60_000 },
});
