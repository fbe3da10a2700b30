// The conformance suite as vitest tests: one `it` per vector on the backend that `start`
// makes current. A backend that cannot start fails every test with its reason; nothing skips.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { VECTORS } from './vectors';
import { EXPECTED } from './expected';
import { differences, maxError } from './compare';
import { runVector, type VectorResult } from './run';

/** Per-vector checks of results obtained elsewhere (the browser page) or computed here. */
export function defineVectorTests(label: string, get: (name: string) => Promise<VectorResult>): void {
  const worst: number[] = [];
  it('has expected values for exactly the vectors it runs', () => {
    expect(new Set(Object.keys(EXPECTED))).toEqual(new Set(VECTORS.map((v) => v.name)));
  });
  for (const v of VECTORS) {
    it(v.name, async () => {
      const r = await get(v.name);
      if (r.error) throw new Error(`${label}: ${v.name} threw: ${r.error}`);
      const diffs = differences(r.outputs, EXPECTED[v.name]);
      expect(diffs, `${label}: ${v.name}`).toEqual([]);
      r.outputs.forEach((o, k) => worst.push(maxError(o, EXPECTED[v.name][k])));
    });
  }
  afterAll(() => {
    if (worst.length) console.log(`conformance ${label}: ${worst.length} outputs checked, max abs error ${Math.max(...worst).toExponential(2)}`);
  });
}

/** The whole suite on a Node backend: `start` makes it current (and throws why if it cannot). */
export function defineNodeConformance(label: string, start: () => Promise<unknown>, timeoutMs = 120_000): void {
  describe(`conformance on ${label}`, () => {
    let startError: unknown;
    beforeAll(async () => {
      try {
        await start();
      } catch (err) {
        startError = err;
      }
    }, timeoutMs);
    it('backend starts', () => {
      if (startError) throw startError;
      expect(T.getBackendInfo().name).toBeTruthy();
    });
    defineVectorTests(label, async (name) => {
      if (startError) throw new Error(`${label} did not start: ${(startError as Error).message ?? startError}`);
      const v = VECTORS.find((x) => x.name === name);
      if (!v) throw new Error(`no vector ${name}`);
      return runVector(v);
    });
  });
}
