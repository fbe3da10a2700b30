import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { PlanMemory, planDropoutMask, useFastKernels } from '../src/index';

// The SIMD Dropout mask (dropout-module.ts, on the engine's threads) against @neurona/tensor's
// dropoutMask (the tape path's numbers, itself checked against Random123's vectors and a Python
// reference): bit-identical for every count (whole groups of eight and the JavaScript tail),
// unaligned offsets, rates, keys with the high bit set, and the fused `out = src ⊙ mask`.

function reserve(floats: number): PlanMemory {
  const mem = PlanMemory.reserve(floats);
  if (!mem) throw new Error('fast kernels not active');
  return mem;
}

describe.runIf(T.getBackendInfo().capabilities.memory === 'wasm-heap' || T.getBackendInfo().capabilities.memory === 'host')('planDropoutMask', () => {
  beforeAll(() => {
    useFastKernels(true);
  });

  it('writes exactly dropoutMask’s values (counts 1 to 204,800, offsets not multiples of 4)', () => {
    const mem = reserve(3 * 204_800 + 64);
    const cases: [number, number, [number, number]][] = [
      [1, 0.5, [1, 2]], [7, 0.5, [3, 4]], [8, 0.25, [5, 6]], [9, 0.1, [0xffffffff, 0x80000000]], [1003, 0.9, [123456789, 42]],
      [204_800, 0.5, [2 ** 31 - 1, 7]], [33_333, 0.3, [0, 0]],
    ];
    for (const [count, rate, key] of cases) {
      const dst = mem.start + 3;
      mem.heap().fill(-1, dst - 3, dst + count + 5);
      planDropoutMask(mem, key, rate, dst, count);
      const h = mem.heap();
      const want = T.dropoutMask(key, rate, count);
      expect(h.subarray(dst, dst + count)).toEqual(want);
      // nothing written outside [dst, dst + count)
      expect(Array.from(h.subarray(dst - 3, dst))).toEqual([-1, -1, -1]);
      expect(Array.from(h.subarray(dst + count, dst + count + 5))).toEqual([-1, -1, -1, -1, -1]);
    }
  });

  it('with a source, also writes out = src ⊙ mask (in place too)', () => {
    const count = 20_005;
    const mem = reserve(3 * count + 64);
    const M = mem.start + 1, S = M + count + 2, O = S + count + 1;
    const rng = T.createRng(3);
    const src = Float32Array.from({ length: count }, () => rng() * 4 - 2);
    let h = mem.heap();
    h.set(src, S);
    planDropoutMask(mem, [9, 10], 0.4, M, count, { src: S, out: O });
    h = mem.heap();
    const mask = T.dropoutMask([9, 10], 0.4, count);
    const want = src.map((v, i) => Math.fround(v * mask[i]));
    expect(h.subarray(M, M + count)).toEqual(mask);
    expect(h.subarray(O, O + count)).toEqual(want);
    // in place: out = src
    planDropoutMask(mem, [9, 10], 0.4, M, count, { src: S, out: S });
    expect(mem.heap().subarray(S, S + count)).toEqual(want);
  });

  it('rejects a rate outside [0, 1)', () => {
    const mem = reserve(64);
    expect(() => planDropoutMask(mem, [1, 2], 1, mem.start, 16)).toThrow(/rate must be a number in \[0, 1\), got 1/);
  });
});
