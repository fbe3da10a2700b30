import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The GEMM's worker threads run eval'd code, which is ESM when the parent process was started
// with --input-type=module: the worker must start either way (a user's `node -e` script did not).
describe('fast-kernel worker threads', () => {
  it.each(['commonjs', 'module'])('start when the parent is an --input-type=%s script', (inputType) => {
    const file = inputType === 'module' ? 'index.js' : 'index.cjs';
    const kernels = join(import.meta.dirname, '..', 'dist', file);
    const tensor = join(import.meta.dirname, '..', 'node_modules', '@neurona', 'tensor', 'dist', file);
    const body = `
      T.registerBackendProvider({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'host', syncRead: true, gpu: false }, load: async () => ({}) });
      K.useFastKernels({ threads: 2 });
      // wait (up to 5 s) for the worker to start, then run a product big enough to use it
      const t0 = Date.now();
      while (K.fastKernelsStatus().threadsReady < 2 && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
      const a = T.ones([256, 256]); const b = T.ones([256, 256]);
      const y = T.matMulT(a, b, false, false);
      console.log(JSON.stringify({ ready: K.fastKernelsStatus().threadsReady, active: K.fastKernelsActive(), v: y.dataSync()[0], n: y.dataSync()[256 * 256 - 1] }));
    `;
    const script =
      inputType === 'module'
        ? `import '@tensorflow/tfjs-backend-cpu'; import * as T from ${JSON.stringify(tensor)}; import * as K from ${JSON.stringify(kernels)}; ${body}`
        : `require('@tensorflow/tfjs-backend-cpu'); const T = require(${JSON.stringify(tensor)}); const K = require(${JSON.stringify(kernels)}); (async () => { ${body} })();`;
    const r = spawnSync(process.execPath, [`--input-type=${inputType}`, '-e', script], {
      cwd: join(import.meta.dirname, '..'),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}')).toEqual({ ready: 2, active: true, v: 256, n: 256 });
  });
});
