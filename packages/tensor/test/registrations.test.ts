// Every op's gradient and chained op (`t.argMax()`) works right after importing @neurona/tensor,
// with no extra call: the registrations live in their own built file (dist/register-all.js and
// .cjs, which a page bundler may swap for a smaller one), and each entry, ESM and CJS, loads it.
// Closed forms: d/dx Σ rsqrt(x) = -x^(-3/2)/2, d/dx Σ expm1(x) = eˣ, d/dx Σ cumsum(x) = n, n-1, …, 1.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index';

const X = [0.25, 1, 4];
const RSQRT = X.map((x) => -0.5 * x ** -1.5);
const EXPM1 = X.map(Math.exp);
const CUMSUM = [3, 2, 1];

/** The three gradients (and a rarely used chained op), with `t` the package as imported. */
const probe = `
  const x = t.tensor1d(${JSON.stringify(X)});
  const g = (f) => Array.from(t.grads(f)([x])[0].dataSync());
  const out = {
    rsqrt: g((a) => t.sum(t.rsqrt(a))),
    expm1: g((a) => t.sum(t.expm1(a))),
    cumsum: g((a) => t.sum(t.cumsum(a))),
    chained: Array.from(x.logSumExp().dataSync()),
  };
  console.log(JSON.stringify(out));
`;

const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 4));

const dist = join(import.meta.dirname, '..', 'dist');
const run = (code: string, type: 'module' | 'commonjs') =>
  JSON.parse(execFileSync(process.execPath, ['--input-type', type, '-e', code], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop() as string) as Record<string, number[]>;
const check = (out: Record<string, number[]>) => {
  close(out.rsqrt, RSQRT);
  close(out.expm1, EXPM1);
  close(out.cumsum, CUMSUM);
  expect(out.chained[0]).toBeCloseTo(Math.log(X.reduce((s, v) => s + Math.exp(v), 0)), 4);
};

describe('gradient and chained-op registrations', () => {
  it('rarely used ops have their gradients after a fresh import (source)', () => {
    const x = T.tensor1d(X);
    const g = (f: (a: T.Tensor) => T.Tensor) => Array.from(T.grads(f)([x])[0].dataSync());
    close(g((a) => T.sum(T.rsqrt(a))), RSQRT);
    close(g((a) => T.sum(T.expm1(a))), EXPM1);
    close(g((a) => T.sum(T.cumsum(a))), CUMSUM);
    expect(x.logSumExp().dataSync()[0]).toBeCloseTo(Math.log(X.reduce((s, v) => s + Math.exp(v), 0)), 4);
    x.dispose();
  });

  it('the built package keeps them in register-all, which both entries load in a fresh Node process', () => {
    for (const f of ['index.js', 'index.cjs', 'register-all.js', 'register-all.cjs']) expect(existsSync(join(dist, f)), `dist/${f} (run the build)`).toBe(true);
    check(run(`import '@tensorflow/tfjs-backend-cpu'; import * as t from ${JSON.stringify(join(dist, 'index.js'))};${probe}`, 'module'));
    check(run(`require('@tensorflow/tfjs-backend-cpu'); const t = require(${JSON.stringify(join(dist, 'index.cjs'))});${probe}`, 'commonjs'));
  }, 60_000);
});
