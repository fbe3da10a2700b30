// Adam's SIMD loop (optimizer-module.ts) takes gradients below 2^-58 and moments below 2^-100 as 0,
// so that none of its results is subnormal (a subnormal result costs a microcode assist: the pass
// ran 10–20× slower on the gradients of a confident softmax and on moments decayed by a
// gradient of 0). Against the JavaScript loop on a plain array, which keeps them (float64): the
// same parameters within 1e-12, the same moments above the thresholds, no subnormal in m or v, and
// the flushed entries 0.
import { afterAll, describe, expect, it } from 'vitest';
import { fusedOptimizerStep, type FusedOptimizerStep } from '../src/fused-optimizer';
import { GemmEngine } from '../src/gemm-engine';
import { state } from '../src/state';

const saved = state().engine;
const engine = new GemmEngine(1);
afterAll(async () => {
  state().engine = saved;
  await engine.dispose();
});

const FLT_MIN = 2 ** -126;
const subnormal = (x: number) => x !== 0 && Math.abs(x) < FLT_MIN;

describe('Adam SIMD loop: tiny gradients and moments', () => {
  it('takes gradients < 2^-58 and moments < 2^-100 as 0, no subnormal results, the same parameters', () => {
    state().engine = engine;
    const n = 4096;
    // per entry: gradient, m, v of every magnitude class (normal, tiny, subnormal, 0), either sign
    const gs = [1e-3, -2e-2, 1e-21, -3e-30, 1e-40, 0, 4e-18, -3e-18];
    const ms = [1e-4, -1e-4, 1e-31, -4e-38, 1e-40, 0, 9e-31, -7e-31];
    const vs = [1e-6, 1e-12, 1e-38, 1e-40, 0, 2e-24, 9e-31, 7e-31];
    const fill = (h: Float32Array, base: number) => {
      for (let i = 0; i < n; i++) {
        h[base + i] = 0.01 * (1 + (i % 7));
        h[base + n + i] = gs[i % gs.length] * (1 + (i % 3));
        h[base + 2 * n + i] = ms[(i >> 3) % ms.length];
        h[base + 3 * n + i] = vs[(i >> 6) % vs.length];
      }
    };
    const spec = (base: number): FusedOptimizerStep => ({ kind: 'adam', params: base, grads: base + n, slots: [base + 2 * n, base + 3 * n], segments: [{ offset: 0, length: n }], learningRate: 1e-3, step: 7 });
    const start = engine.reserve(4 * n);
    try {
      fill(engine.heap(), start);
      fusedOptimizerStep(engine.heap(), spec(start));
      const plain = new Float32Array(4 * n);
      fill(plain, 0);
      fusedOptimizerStep(plain, spec(0));
      const h = engine.heap();
      const input = new Float32Array(4 * n);
      fill(input, 0);
      // the moments as the documented rule gives them, in float64 (Keras's β1 = 0.9, β2 = 0.999)
      const cut = (x: number, t: number) => (Math.abs(x) < t ? 0 : x);
      for (let i = 0; i < n; i++) {
        expect(Math.abs(h[start + i] - plain[i])).toBeLessThan(1e-12 + 1e-6 * Math.abs(plain[i]));
        const g = cut(input[n + i], 2 ** -58);
        const m0 = cut(input[2 * n + i], 2 ** -100);
        const v0 = cut(input[3 * n + i], 2 ** -100);
        const want = [m0 + (g - m0) * 0.1, v0 + (g * g - v0) * 0.001];
        [2, 3].forEach((s, k) => {
          const got = h[start + s * n + i];
          expect(subnormal(got)).toBe(false);
          expect(Math.abs(got - want[k])).toBeLessThanOrEqual(1e-6 * Math.abs(want[k]));
        });
      }
      // the gradients below 2^-58 and moments below 2^-100 of this set were all dropped: no moment is subnormal,
      // and the JavaScript loop (which keeps them) does have subnormal ones here
      let plainSubnormal = 0;
      for (let i = 2 * n; i < 4 * n; i++) if (subnormal(plain[i])) plainSubnormal++;
      expect(plainSubnormal).toBeGreaterThan(0);
    } finally {
      engine.release(start);
    }
  });

  it('keeps a NaN gradient or moment NaN (not flushed to 0), as the tape and the JavaScript loop do', () => {
    state().engine = engine;
    const n = 4096; // large enough for the SIMD loop
    const start = engine.reserve(4 * n);
    try {
      const h = engine.heap();
      for (let i = 0; i < n; i++) {
        h[start + i] = 0.5;
        h[start + n + i] = i % 4 === 0 ? Number.NaN : 1e-3;
        h[start + 2 * n + i] = i % 4 === 1 ? Number.NaN : 0;
        h[start + 3 * n + i] = i % 4 === 2 ? Number.NaN : 0;
      }
      fusedOptimizerStep(engine.heap(), { kind: 'adam', params: start, grads: start + n, slots: [start + 2 * n, start + 3 * n], segments: [{ offset: 0, length: n }], learningRate: 1e-3, step: 1 });
      const out = engine.heap();
      for (let i = 0; i < n; i++) expect(Number.isNaN(out[start + i])).toBe(i % 4 !== 3);
    } finally {
      engine.release(start);
    }
  });
});
