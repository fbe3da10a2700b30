// Builds and serves the test page once for all browser test files of this project. A failed
// build is handed to the tests, which then fail with it (nothing is skipped).
import type { TestProject } from 'vitest/node';
import { buildPage, serveDir, removeDir } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    pageOrigin: string;
    pageError: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let dir: string | undefined;
  let server: Awaited<ReturnType<typeof serveDir>> | undefined;
  try {
    const t0 = Date.now();
    dir = await buildPage();
    server = await serveDir(dir);
    console.log(`backend-web: test page built in ${Date.now() - t0} ms, served at ${server.origin}`);
    project.provide('pageOrigin', server.origin);
    project.provide('pageError', '');
  } catch (err) {
    project.provide('pageOrigin', '');
    project.provide('pageError', `building or serving the test page failed: ${(err as Error).message}`);
  }
  return async () => {
    await server?.close();
    if (dir) await removeDir(dir);
  };
}
