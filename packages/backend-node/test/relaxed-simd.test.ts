// useNodeBackend turns on WebAssembly relaxed SIMD (fused multiply-adds in the fast kernels' GEMM)
// where V8 has it behind --experimental-wasm-relaxed-simd (Node 20/21), unless told not to. A V8
// flag is process-wide and cannot be turned off again: each case runs in a fresh Node process.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { relaxedSimdWanted } from '../src/relaxed-simd';

interface Seen {
  before: boolean;
  after: boolean;
  fma: boolean;
  threadsReady: number;
  line: string;
  product: number[];
}

/** Run useNodeBackend on wasm in a fresh process with these options and environment. */
function child(options: string, env: Record<string, string> = {}): Seen {
  const entry = join(import.meta.dirname, '..', 'dist', 'index.js');
  const script = `
    import * as B from ${JSON.stringify(entry)};
    import * as T from '@neurona/tensor';
    const before = B.relaxedSimdSupported();
    const lines = [];
    await B.useNodeBackend({ force: 'wasm', log: (l) => lines.push(l), ...${options} });
    const t0 = Date.now();
    while (B.fastKernelsStatus().threadsReady < B.fastKernelsStatus().threads && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 10));
    // a product large enough for both threads: every entry of ones(256×300)·(0.5·ones(300×256)) is 150
    const y = T.matMulT(T.ones([256, 300]), T.mul(T.ones([300, 256]), T.scalar(0.5)), false, false);
    const v = y.dataSync();
    const s = B.fastKernelsStatus();
    console.log(JSON.stringify({ before, after: B.relaxedSimdSupported(), fma: s.fma, threadsReady: s.threadsReady, line: lines[0], product: [v[0], v[v.length - 1]] }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: join(import.meta.dirname, '..'),
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NEURONA_RELAXED_SIMD: '', ...env },
  });
  expect(r.stderr).not.toMatch(/Error/);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Seen;
}

describe('relaxed SIMD under Node', () => {
  it('is turned on by useNodeBackend: the GEMM fuses its multiply-adds, says so, and computes the same products', () => {
    const seen = child('{}');
    // Node 20/21 start without it: the flag set at run time is what turned it on
    if (Number(process.versions.node.split('.')[0]) < 22) expect(seen.before).toBe(false);
    expect(seen.after).toBe(true);
    expect(seen.fma).toBe(true);
    expect(seen.line).toMatch(/fast kernels on \d+ threads?, FMA$/);
    expect(seen.product).toEqual([150, 150]);
    expect(seen.threadsReady).toBeGreaterThanOrEqual(1);
  });

  it('stays off with relaxedSimd: false or NEURONA_RELAXED_SIMD=0: no V8 flag set, multiply then add', () => {
    for (const seen of [child('{ relaxedSimd: false }'), child('{}', { NEURONA_RELAXED_SIMD: '0' })]) {
      expect(seen.after).toBe(seen.before); // on Node 20 both false: the flag was never set
      expect(seen.fma).toBe(false);
      expect(seen.line).toMatch(/fast kernels on \d+ threads?$/);
      expect(seen.product).toEqual([150, 150]);
    }
  });

  it('the option wins over the environment variable', () => {
    expect(child('{ relaxedSimd: true }', { NEURONA_RELAXED_SIMD: '0' }).fma).toBe(true);
  });

  it('relaxedSimdWanted: option, else the variable (only "0" turns it off), else on', () => {
    expect(relaxedSimdWanted(undefined, undefined)).toBe(true);
    expect(relaxedSimdWanted(undefined, '')).toBe(true);
    expect(relaxedSimdWanted(undefined, ' 0 ')).toBe(false);
    expect(relaxedSimdWanted(undefined, '1')).toBe(true);
    expect(relaxedSimdWanted(false, '1')).toBe(false);
    expect(relaxedSimdWanted(true, '0')).toBe(true);
  });
});
