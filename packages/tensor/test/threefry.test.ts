// Threefry-2x32-20 against Random123's known-answer vectors and an independent Python
// implementation (test/reference/threefry_reference.py), and the Dropout masks drawn from it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropoutMask, dropoutScale, dropoutThreshold, threefry2x32 } from '../src/threefry';

interface Fixture {
  blocks: { key: [number, number]; counter: [number, number]; out: [number, number] }[];
  masks: { key: [number, number]; rate: number; first: number; count: number; values: number[] }[];
}
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'threefry.json'), 'utf8')) as Fixture;

describe('threefry2x32', () => {
  it('matches the Random123 known-answer vectors (threefry2x32, 20 rounds)', () => {
    const M = 0xffffffff;
    expect(threefry2x32([0, 0], [0, 0])).toEqual([0x6b200159, 0x99ba4efe]);
    expect(threefry2x32([M, M], [M, M])).toEqual([0x1cb996fc, 0xbb002be7]);
    expect(threefry2x32([0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3])).toEqual([0xc4923a9c, 0x483df7a0]);
  });

  it('matches the Python reference under random keys and counters', () => {
    for (const b of fixture.blocks) expect(threefry2x32(b.key, b.counter)).toEqual(b.out);
  });
});

describe('dropoutMask', () => {
  it('matches the Python reference (element e: word e mod 2 of block ⌊e/2⌋)', () => {
    for (const m of fixture.masks) {
      const got = dropoutMask(m.key, m.rate, m.first + m.count).subarray(m.first);
      expect(Array.from(got)).toEqual(m.values.map((v) => Math.fround(v)));
    }
  });

  it('a shorter mask of the same key is the start of a longer one (counter-based)', () => {
    const whole = dropoutMask([5, 9], 0.4, 5001);
    for (const count of [0, 1, 2, 3, 2047, 2048, 5000]) expect(dropoutMask([5, 9], 0.4, count)).toEqual(whole.subarray(0, count));
  });

  it('keeps each element with probability 1 − rate (binomial bound) and scales kept ones by 1/(1 − rate)', () => {
    const n = 200_000;
    for (const rate of [0.1, 0.5, 0.9]) {
      const m = dropoutMask([rate * 1000, 77], rate, n);
      const scale = Math.fround(1 / Math.fround(1 - rate));
      let kept = 0;
      for (const v of m) {
        if (v !== 0) {
          expect(v).toBe(scale);
          kept++;
        }
      }
      const p = 1 - rate;
      expect(Math.abs(kept - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
      // neighbours are independent: pairs (e, e + 1) both kept at rate p²
      let both = 0;
      for (let e = 0; e + 1 < n; e += 2) if (m[e] !== 0 && m[e + 1] !== 0) both++;
      const q = p * p;
      expect(Math.abs(both - (n / 2) * q)).toBeLessThan(5 * Math.sqrt((n / 2) * q * (1 - q)));
    }
  });

  it('different keys draw different masks; rate 0 keeps everything', () => {
    const a = dropoutMask([1, 2], 0.5, 256);
    const b = dropoutMask([1, 3], 0.5, 256);
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(Array.from(dropoutMask([1, 2], 0, 64))).toEqual(Array.from({ length: 64 }, () => 1));
  });

  it('threshold and scale', () => {
    expect(dropoutThreshold(0.5)).toBe(2 ** 23);
    expect(dropoutThreshold(0)).toBe(0);
    expect(dropoutThreshold(1e-9)).toBe(1);
    expect(dropoutScale(0.5)).toBe(2);
    expect(dropoutScale(0.3)).toBe(Math.fround(1 / Math.fround(0.7)));
  });

  it('rejects bad arguments with a clear error', () => {
    expect(() => dropoutMask([1, 2], 1, 4)).toThrow('dropoutMask: expected a rate in [0, 1) and a count ≥ 0, got 1 and 4');
    expect(() => dropoutMask([1, 2], 0.5, 2.5)).toThrow(/got 0.5 and 2.5/);
    expect(() => dropoutMask([1, 2], 0.5, -1)).toThrow(/got 0.5 and -1/);
  });
});
