// The reference values of test/reference/vision_b.py (numpy/torch, float64), as tensors.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import { expect } from 'vitest';

interface Arr {
  shape: number[];
  values: number[];
}

/** One reference case: its inputs, expected outputs and whatever else the script stored. */
export interface Case {
  inputs: Arr[];
  expected: Arr[];
  [key: string]: unknown;
}

const file = fileURLToPath(new URL('./reference/vision-b.json', import.meta.url));
const CASES = (JSON.parse(readFileSync(file, 'utf8')) as { cases: Record<string, Case> }).cases;

/** The case named `name` (its name as vision_b.py writes it). */
export function refCase(name: string): Case {
  const c = CASES[name];
  if (!c) throw new Error(`no reference case "${name}" in vision-b.json; regenerate it with test/reference/vision_b.py`);
  return c;
}

/** A stored array as a tensor. */
export function tensorOf(a: Arr): Tensor {
  return T.tensor(a.values, a.shape);
}

/** A stored array (an entry of a case) as a tensor. */
export function arr(c: Case, key: string, sub?: string): Tensor {
  const v = (sub ? (c[key] as Record<string, Arr>)[sub] : c[key]) as Arr;
  if (!v) throw new Error(`the reference case has no ${key}${sub ? `.${sub}` : ''}`);
  return tensorOf(v);
}

/** The case's inputs: one tensor, or a list for several. */
export function inputsOf(c: Case): Tensor | Tensor[] {
  const ts = c.inputs.map(tensorOf);
  return ts.length === 1 ? ts[0] : ts;
}

/** The flat expected values of output `i`. */
export function expectedOf(c: Case, i = 0): number[] {
  return c.expected[i].values;
}

/** Element-wise closeness within `tol · max(1, |expected|)`, naming the first index that differs. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 1e-5): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= tol * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (tolerance ${tol})`);
    }
  }
}
