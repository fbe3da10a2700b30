import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocate } from '../src/allocate';
import { createRng } from '@neurona/tensor';

describe('allocate (class × part rounding)', () => {
  it('keeps row and column sums, every cell within one of its exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 5 }),
        fc.option(fc.integer(), { nil: null }),
        (counts, weights, seed) => {
          const n = counts.reduce((s, c) => s + c, 0);
          // part sizes summing to n, in proportion to the weights
          const w = weights.reduce((s, x) => s + x, 0);
          const sizes = weights.map((x) => Math.floor((x * n) / w));
          sizes[0] += n - sizes.reduce((s, x) => s + x, 0);
          const table = allocate(counts, sizes, seed === null ? null : createRng(seed));
          table.forEach((row, i) => expect(row.reduce((s, x) => s + x, 0)).toBe(counts[i]));
          sizes.forEach((size, p) => expect(table.reduce((s, row) => s + row[p], 0)).toBe(size));
          table.forEach((row, i) =>
            row.forEach((cell, p) => expect(Math.abs(cell - (counts[i] * sizes[p]) / n)).toBeLessThan(1)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rounds the largest remainders up (2.9 → 3, not 2)', () => {
    // class shares of a 10-sample test set out of 100: 2.9, 3.1, 4 → 3, 3, 4
    expect(allocate([29, 31, 40], [90, 10], null).map((r) => r[1])).toEqual([3, 3, 4]);
  });
});
