import { afterAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { PlanMemory, ResidentRows, fastKernelsStatus, residentLimitBytes, useFastKernels } from '../src/index';

// A fit's arrays kept in the engine's memory and a batch's rows gathered there (resident-rows.ts,
// the gather_rows loop of onepass-module.ts): against a JavaScript loop that picks the rows from
// the source arrays (float64 copies of them), with odd row counts and widths, repeated indices,
// int32 targets (kept as float32), on one thread and on two (the loop's chunks shared), the
// checks, the size limit, and the memory given back.

const rng = T.createRng(11);

/** `rows × width` values of each array, and where a batch's rows go. */
function arrays(rows: number) {
  const x = Float32Array.from({ length: rows * 257 }, () => rng() * 2 - 1);
  const y = Int32Array.from({ length: rows * 3 }, () => Math.floor(rng() * 1000) - 500);
  const w = Float32Array.from({ length: rows }, () => rng());
  return [
    { values: x, width: 257 },
    { values: y, width: 3 },
    { values: w, width: 1 },
  ];
}

/** The rows `idx` of each array, in order, as float64 (the reference). */
function picked(src: { values: Float32Array | Int32Array; width: number }[], idx: number[]): number[][] {
  return src.map((a) => idx.flatMap((r) => Array.from(a.values.subarray(r * a.width, (r + 1) * a.width), Number)));
}

function destinations(n: number): { mem: PlanMemory; dst: number[] } {
  const mem = PlanMemory.reserve(n * (257 + 3 + 1) + 64);
  if (!mem) throw new Error('fast kernels not active');
  const x = mem.start, y = x + n * 257 + 1, w = y + n * 3 + 3; // odd offsets: the copies are not aligned
  return { mem, dst: [x, y, w] };
}

function read(mem: PlanMemory, dst: number[], n: number): number[][] {
  const h = mem.heap();
  return [257, 3, 1].map((width, a) => Array.from(h.subarray(dst[a], dst[a] + n * width), Number));
}

describe.runIf(T.getBackendInfo().capabilities.memory === 'wasm-heap' || T.getBackendInfo().capabilities.memory === 'host')('ResidentRows', () => {
  afterAll(() => {
    useFastKernels(false);
  });

  for (const threads of [1, 2]) {
    it(`gathers shuffled rows with repeats (odd counts, ${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      useFastKernels({ threads });
      for (let i = 0; i < 200 && (fastKernelsStatus().threadsReady ?? 0) < threads; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fastKernelsStatus().threadsReady).toBe(threads);
      const rows = 1001, n = 301;
      const src = arrays(rows);
      const r = ResidentRows.create(src, rows, n);
      expect(r).not.toBeNull();
      const res = r as ResidentRows;
      const { mem, dst } = destinations(n);
      try {
        const idx = Int32Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 1000 : Math.floor(rng() * rows)));
        idx[0] = 0;
        const posted = fastKernelsStatus().handOffs?.posted ?? 0;
        res.gather(idx, n, dst);
        // 301 rows of 261 floats: large enough for the two threads to share the loop
        if (threads === 2) expect(fastKernelsStatus().handOffs?.posted).toBeGreaterThan(posted);
        expect(read(mem, dst, n)).toEqual(picked(src, Array.from(idx)));
        // a shorter batch, then the first rows in order (no indices)
        const few = Int32Array.from({ length: 5 }, (_, i) => idx[4 - i]);
        res.gather(few, 5, dst);
        expect(read(mem, dst, 5)).toEqual(picked(src, Array.from(few)));
        res.gather(null, 17, dst);
        expect(read(mem, dst, 17)).toEqual(picked(src, Array.from({ length: 17 }, (_, i) => i)));
      } finally {
        mem.release();
        res.release();
      }
    });
  }

  it('checks indices before copying anything, and its arguments', () => {
    useFastKernels(true);
    const src = arrays(9);
    const r = ResidentRows.create(src, 9, 4) as ResidentRows;
    const { mem, dst } = destinations(4);
    try {
      r.gather(Int32Array.from([8, 7, 6, 5]), 4, dst);
      const before = read(mem, dst, 4);
      expect(() => r.gather(Int32Array.from([1, 9, 2, 3]), 4, dst)).toThrow('ResidentRows.gather: index 9 is not in [0, 8]');
      expect(() => r.gather(Int32Array.from([1, -1, 2, 3]), 4, dst)).toThrow('index -1 is not in [0, 8]');
      expect(read(mem, dst, 4)).toEqual(before);
      expect(() => r.gather(Int32Array.from([1, 2, 3, 4, 5]), 5, dst)).toThrow('5 rows, room for 4');
      expect(() => r.gather(Int32Array.from([1, 2]), 2, dst.slice(0, 2))).toThrow('3 destinations expected, got 2');
      expect(() => r.gather(Int32Array.from([1]), 2, dst)).toThrow('2 rows from 1 indices');
      expect(() => ResidentRows.create([{ values: new Float32Array(10), width: 3 }], 4, 2)).toThrow('an array of 4 rows of 3 values needs 12 values, got 10');
      expect(() => ResidentRows.create([], 4, 2)).toThrow('1 to 3 arrays, got 0');
    } finally {
      mem.release();
      r.release();
    }
  });

  it('is null over the size limit (NEURONA_RESIDENT_MB, default 512 MiB) and when the fast kernels are off', () => {
    useFastKernels(true);
    const src = arrays(100);
    expect(ResidentRows.create(src, 100, 10, 1000)).toBeNull();
    expect(ResidentRows.create(src, 100, 10, 0)).toBeNull();
    const prev = process.env.NEURONA_RESIDENT_MB;
    try {
      delete process.env.NEURONA_RESIDENT_MB;
      expect(residentLimitBytes()).toBe(512 * 1024 * 1024);
      process.env.NEURONA_RESIDENT_MB = '0.05';
      expect(residentLimitBytes()).toBe(0.05 * 1024 * 1024);
      expect(ResidentRows.create(src, 100, 10)).toBeNull(); // 100 · 261 floats > 52 KB
      process.env.NEURONA_RESIDENT_MB = '1';
      const r = ResidentRows.create(src, 100, 10);
      expect(r?.bytes).toBeGreaterThanOrEqual(4 * 100 * 261);
      r?.release();
    } finally {
      if (prev === undefined) delete process.env.NEURONA_RESIDENT_MB;
      else process.env.NEURONA_RESIDENT_MB = prev;
    }
    useFastKernels(false);
    expect(ResidentRows.create(src, 100, 10)).toBeNull();
  });

  it('gives its memory back: the same region again, the memory does not grow', () => {
    useFastKernels(true);
    const src = arrays(3000);
    const first = ResidentRows.create(src, 3000, 64) as ResidentRows;
    const size = (PlanMemory.reserve(1) as PlanMemory);
    const bytes = size.heap().buffer.byteLength;
    size.release();
    first.release();
    for (let i = 0; i < 3; i++) {
      const again = ResidentRows.create(src, 3000, 64) as ResidentRows;
      const probe = PlanMemory.reserve(1) as PlanMemory;
      expect(probe.heap().buffer.byteLength).toBe(bytes);
      probe.release();
      again.release();
    }
  });
});
