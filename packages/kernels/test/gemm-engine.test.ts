// The GEMM engine's products against a float64 reference: every entry point (gemm on regions,
// gemmSplitK, matmul on operands), A as is and stored transposed, tile edges (m, n, k not
// multiples of the 4×8 tile; 1; 0), strides wider than the matrices, odd offsets, bias, relu,
// accumulation, k long enough to be blocked, on one thread and on two; each in both variants of
// the module: fused multiply-adds (relaxed SIMD, turned on here as @neurona/backend-node does on
// Node 20) and a multiply then an add.
import { setFlagsFromString } from 'node:v8';
import { afterAll, describe, expect, it } from 'vitest';
import { GemmEngine } from '../src/gemm-engine';
import { relaxedSimdSupported } from '../src/relaxed-simd';

if (!relaxedSimdSupported()) setFlagsFromString('--experimental-wasm-relaxed-simd');

/** A deterministic pseudo-random value in [-1, 1). */
function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  bias?: boolean;
  relu?: boolean;
  accumulate?: boolean;
  /** Extra floats of row stride beyond the matrix (A's, B's and C's: B and C rounded to 8). */
  pad?: number;
  /** Float offset added to every operand's start (an unaligned start when not a multiple of 4). */
  shift?: number;
}

/**
 * Run `c` through `engine.gemm` on its scratch memory and compare with a float64 product.
 * Tolerance: 2e-6 · Σ_k |a_ik·b_kj| + 1e-6 per element (float32 sums of k products in any order
 * stay within k·2⁻²⁴ of that sum; the bound is far tighter than any indexing error).
 */
function checkGemm(engine: GemmEngine, c: Case, seed: number, splitK = false): void {
  const { m, n, k, transA } = c;
  const pad = c.pad ?? 0;
  const shift = c.shift ?? 0;
  const m4 = Math.ceil(Math.max(m, 1) / 4) * 4;
  const lda = (transA ? m4 : k) + pad;
  const ldb = Math.ceil((n + pad) / 8) * 8;
  const ldc = ldb;
  const aRows = transA ? k : m4 + 4;
  const base = engine.scratchBase() + shift;
  const a = base;
  const b = a + aRows * lda + 16;
  const cOff = b + Math.max(k, 1) * ldb + 3;
  const biasOff = cOff + (m4 + 4) * ldc + 5;
  const spare = biasOff + ldb + 7;
  const f = engine.scratch(spare + engine.splitKSpare(m, ldc) + 16);
  const r = rand(seed);
  f.fill(Number.NaN, base, spare); // padding and spare rows must never be read into the result
  // every value A's reads may touch is finite: spare rows/floats exist but hold garbage
  for (let i = a; i < b; i++) f[i] = r();
  for (let i = 0; i < k; i++) for (let j = 0; j < ldb; j++) f[b + i * ldb + j] = j < n ? r() : 0;
  for (let j = 0; j < ldb; j++) f[biasOff + j] = j < n ? r() : 0;
  const before = new Float64Array(m * n);
  for (let i = 0; i < m4 + 4; i++) for (let j = 0; j < ldc; j++) f[cOff + i * ldc + j] = c.accumulate ? r() : 1e30;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) before[i * n + j] = f[cOff + i * ldc + j];
  const A = (i: number, kk: number) => f[a + (transA ? kk * lda + i : i * lda + kk)];
  const B = (kk: number, j: number) => f[b + kk * ldb + j];
  const want = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = c.accumulate ? before[i * n + j] : 0;
      let t = Math.abs(s);
      for (let kk = 0; kk < k; kk++) {
        s += A(i, kk) * B(kk, j);
        t += Math.abs(A(i, kk) * B(kk, j));
      }
      if (c.bias) s += f[biasOff + j];
      if (c.relu) s = Math.max(s, 0);
      want[i * n + j] = s;
      mag[i * n + j] = t + (c.bias ? Math.abs(f[biasOff + j]) : 0);
    }
  const g = { a, lda, aTransposed: transA, b, ldb, c: cOff, ldc, m, n: ldb, k, bias: c.bias ? biasOff : 0, relu: c.relu, accumulate: c.accumulate };
  if (splitK) engine.gemmSplitK(g, spare);
  else engine.gemm(g);
  const h = engine.heap();
  let worst = 0;
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const got = h[cOff + i * ldc + j];
      const err = Math.abs(got - want[i * n + j]) / (2e-6 * mag[i * n + j] + 1e-6);
      if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
    }
  expect(worst, `${JSON.stringify(c)}${splitK ? ' splitK' : ''}: worst error / tolerance`).toBeLessThanOrEqual(1);
}

/** Tile edges and sizes the products meet: 1, tiny, not multiples of 4 or 8, k blocked (> 1024). */
function cases(): Case[] {
  const out: Case[] = [];
  for (const transA of [false, true]) {
    for (const m of [1, 3, 4, 5, 13]) for (const n of [1, 8, 9, 23]) for (const k of [1, 2, 7, 33]) out.push({ m, n, k, transA });
    out.push({ m: 6, n: 16, k: 0, transA, bias: true });
    out.push({ m: 37, n: 40, k: 129, transA, bias: true, relu: true, pad: 5, shift: 1 });
    out.push({ m: 70, n: 17, k: 300, transA, accumulate: true, pad: 3, shift: 2 });
    out.push({ m: 9, n: 24, k: 1025, transA, bias: true, relu: true, shift: 3 });
    out.push({ m: 22, n: 8, k: 2600, transA, accumulate: true, pad: 11 });
    // large enough to be split over the threads (2²¹ multiply-adds)
    out.push({ m: 203, n: 130, k: 97, transA, bias: true, relu: true, pad: 1, shift: 1 });
    out.push({ m: 514, n: 64, k: 513, transA, accumulate: true });
  }
  return out;
}

const engines = [new GemmEngine(1, false), new GemmEngine(2, false), new GemmEngine(1, true), new GemmEngine(2, true)];
const variant = (e: GemmEngine) => `${e.threads} thread(s), ${e.fma ? 'FMA' : 'mul+add'}`;
afterAll(async () => {
  for (const e of engines) await e.dispose();
});

/** Wait until the workers have started (a product before that runs on one thread). */
async function ready(e: GemmEngine): Promise<void> {
  for (let i = 0; i < 200 && e.readyThreads() < e.threads; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('GemmEngine products against float64', () => {
  for (const engine of engines) {
    it(`gemm on regions, ${variant(engine)}: A as is and transposed, every tile edge, bias, relu, accumulate, k blocks, odd offsets`, async () => {
      await ready(engine);
      expect(engine.readyThreads()).toBe(engine.threads);
      cases().forEach((c, i) => checkGemm(engine, c, 100 + i));
    });

    it(`gemmSplitK, ${variant(engine)}: a long k split over the threads, into C or added to it`, async () => {
      await ready(engine);
      for (const transA of [true, false]) {
        checkGemm(engine, { m: 36, n: 64, k: 4100, transA }, 7, true);
        checkGemm(engine, { m: 13, n: 24, k: 5003, transA, accumulate: true, pad: 2, shift: 1 }, 8, true);
        checkGemm(engine, { m: 3, n: 8, k: 100, transA }, 9, true); // too small to split
      }
    });

    it(`matmul on operands, ${variant(engine)}: either operand transposed, n not a multiple of 8, bias, relu, a long k`, async () => {
      await ready(engine);
      const shapes: [number, number, number, boolean, boolean, boolean][] = [
        [1, 1, 1, false, false, false],
        [5, 3, 7, true, false, true],
        [33, 17, 65, false, true, false],
        [130, 70, 1500, true, true, true],
        [260, 129, 300, true, false, false],
        [7, 9, 3000, false, true, true],
      ];
      shapes.forEach(([M, N, K, tA, tB, withBias], s) => {
        const r = rand(500 + s);
        const a = Float32Array.from({ length: M * K }, r);
        const b = Float32Array.from({ length: K * N }, r);
        const bias = withBias ? Float32Array.from({ length: N }, r) : null;
        const out = new Float32Array(M * N).fill(Number.NaN);
        const relu = s % 2 === 1;
        engine.matmul({ data: a, rows: tA ? K : M, cols: tA ? M : K, transposed: tA }, { data: b, rows: tB ? N : K, cols: tB ? K : N, transposed: tB }, out, bias, relu);
        const A = (i: number, k: number) => a[tA ? k * M + i : i * K + k];
        const B = (k: number, j: number) => b[tB ? j * K + k : k * N + j];
        for (let i = 0; i < M; i++)
          for (let j = 0; j < N; j++) {
            let sum = bias ? bias[j] : 0;
            let mag = Math.abs(sum);
            for (let k = 0; k < K; k++) {
              sum += A(i, k) * B(k, j);
              mag += Math.abs(A(i, k) * B(k, j));
            }
            if (relu) sum = Math.max(sum, 0);
            const err = Math.abs(out[i * N + j] - sum);
            if (!(err <= 2e-6 * mag + 1e-6)) expect.fail(`matmul ${M}×${N}×${K} tA=${tA} tB=${tB}: C(${i}, ${j}) = ${out[i * N + j]}, want ${sum}`);
          }
      });
    });
  }

  it('the FMA variant rounds a·b + c once, the other twice', () => {
    // a = b = 1 + 2⁻¹², c = −1: a·b = 1 + 2⁻¹¹ + 2⁻²⁴ exactly; rounded to float32 first (a tie,
    // to even) it loses the 2⁻²⁴, fused it keeps it. Every x86-64 CPU since 2013 and every
    // arm64 one has FMA, where V8 fuses relaxed_madd.
    const x = 1 + 2 ** -12;
    for (const e of engines.slice(0, 3)) {
      const base = e.scratchBase();
      const f = e.scratch(base + 64);
      f.fill(0, base, base + 64);
      f[base] = x; // A: 1 × 1 (4 rows of room)
      f[base + 16] = x; // B: 1 × 8
      f[base + 32] = -1; // C: 1 × 8, accumulated into
      e.gemm({ a: base, lda: 1, aTransposed: false, b: base + 16, ldb: 8, c: base + 32, ldc: 8, m: 1, n: 8, k: 1, accumulate: true });
      expect(e.heap()[base + 32], variant(e)).toBe(e.fma ? 2 ** -11 + 2 ** -24 : 2 ** -11);
    }
  });

  it('a fused engine cannot be built where relaxed SIMD is missing; the default follows the probe', () => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = () => false; // an engine without relaxed SIMD
    try {
      expect(relaxedSimdSupported()).toBe(false);
      expect(() => new GemmEngine(1, true)).toThrow(/fma needs WebAssembly relaxed SIMD/);
      const e = new GemmEngine(1);
      expect(e.fma).toBe(false);
      checkGemm(e, { m: 13, n: 23, k: 33, transA: true, bias: true, relu: true }, 1);
    } finally {
      WebAssembly.validate = validate;
    }
    expect(relaxedSimdSupported()).toBe(true);
    expect(new GemmEngine(1).fma).toBe(true);
  });

  it('a held region moves scratch up, never into the packing workspaces below it', () => {
    const e = engines[1];
    const base = e.scratchBase();
    const start = e.reserve(100);
    expect(start).toBeGreaterThanOrEqual(base);
    expect(e.scratchBase()).toBeGreaterThan(start + 99);
    e.release(start);
    expect(e.scratchBase()).toBe(base);
  });
});

describe('GemmEngine threads: rows handed out in chunks, workers that spin or park', () => {
  // A worker that does not spin (spinMicros 0) polls: it often looks after this thread has taken
  // every row of a small threaded product, and the job is taken back; after 200 ms idle it parks
  // and the next job wakes it. Every product must still be right, whichever thread took its rows.
  const threaded = [
    { m: 203, n: 130, k: 97, transA: false, bias: true, relu: true, pad: 1, shift: 1 },
    { m: 514, n: 64, k: 513, transA: true, accumulate: true },
    { m: 301, n: 40, k: 1025, transA: false, bias: true, relu: true, shift: 3 }, // k blocks, each threaded
    { m: 64, n: 256, k: 200, transA: true },
  ];
  for (const spin of [0, 2000]) {
    it(`spinMicros ${spin}: 40 threaded products with gaps between them equal float64; taken-back jobs are not waited for`, async () => {
      const e = new GemmEngine(2, true, spin);
      try {
        await ready(e);
        expect(e.readyThreads()).toBe(2);
        for (let i = 0; i < 40; i++) {
          checkGemm(e, threaded[i % threaded.length], 500 + i);
          // gaps: 3 ms (past the spin, the worker polls), twice 400 ms (it parks and must be woken)
          if (i % 3 === 0) await new Promise((r) => setTimeout(r, i === 12 || i === 30 ? 400 : 3));
        }
        const s = e.stats;
        expect(s.posted).toBeGreaterThanOrEqual(40);
        expect(s.takenBack).toBeLessThanOrEqual(s.posted);
        expect(s.wakeUps).toBeGreaterThan(0); // the jobs after the long gaps found it parked
        expect(s.wakeUps).toBeLessThan(s.posted);
        expect(s.waitMs).toBeGreaterThanOrEqual(0);
      } finally {
        await e.dispose();
      }
    });
  }

  it('spinMicros must be a number >= 0', () => {
    expect(() => new GemmEngine(1, false, -1)).toThrow(/spinMicros must be a number >= 0, got -1/);
    expect(() => new GemmEngine(1, false, Number.NaN)).toThrow(/spinMicros/);
  });
});
