import { createRequire } from 'node:module';
import { join } from 'node:path';

// One require bound to this package (pnpm links our dependencies here) and one bound to the
// program's directory (optional peers such as tfjs-node are installed by the user there).
const here = createRequire(import.meta.url);
function fromCwd(): NodeRequire {
  return createRequire(join(process.cwd(), 'package.json'));
}

/** The resolved path of `pkg` (this package's view first, then the program's), or undefined. */
export function resolveOptional(pkg: string): string | undefined {
  for (const req of [here, fromCwd()]) {
    try {
      return req.resolve(pkg);
    } catch {
      // not visible from there
    }
  }
  return undefined;
}

/** `require` a resolved CommonJS file (tfjs-node and the wasm backend's Node build are CJS). */
export function requireFile(path: string): unknown {
  return here(path);
}
