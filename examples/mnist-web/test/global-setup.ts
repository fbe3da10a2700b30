// Builds the page (unless dist/ is fresh) and serves dist/ once for the browser tests. A failed
// build is handed to the tests, which then fail with it: nothing is skipped.
import type { TestProject } from 'vitest/node';
import { distDir, ensureBuilt } from './dist';
import { serveDir } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    mnistWebOrigin: string;
    mnistWebError: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: Awaited<ReturnType<typeof serveDir>> | undefined;
  try {
    const t0 = Date.now();
    const rebuilt = await ensureBuilt();
    server = await serveDir(distDir);
    console.log(`mnist-web: dist ${rebuilt ? `built in ${Date.now() - t0} ms` : 'reused (fresh)'}, served at ${server.origin}`);
    project.provide('mnistWebOrigin', server.origin);
    project.provide('mnistWebError', '');
  } catch (err) {
    project.provide('mnistWebOrigin', '');
    project.provide('mnistWebError', `building or serving dist/ failed: ${(err as Error).stack ?? String(err)}`);
  }
  return async () => {
    await server?.close();
  };
}
