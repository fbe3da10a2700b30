// The fused optimizer's SIMD loops (on the GEMM engine's memory, as a compiled plan calls it)
// against its JavaScript loops (on a plain array; those are checked against float64 Keras
// references in plan-kernels.test.ts): the same trajectory within float32 rounding, segments of
// every length mod 4, long enough to be split over the threads, with weight decay.
import { afterAll, describe, expect, it } from 'vitest';
import { fusedOptimizerStep, type FusedOptimizerStep } from '../src/fused-optimizer';
import { GemmEngine } from '../src/gemm-engine';
import { state } from '../src/state';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

const saved = state().engine;
const engine = new GemmEngine(2);
afterAll(async () => {
  state().engine = saved;
  await engine.dispose();
});

/** Segment lengths: short (JS only), every length mod 4, SIMD on one thread, and one long segment (524,291). */
const LENGTHS = [5, 64, 65, 130, 255, 1003, 20001, 524291];

type Setup = Omit<FusedOptimizerStep, 'params' | 'grads' | 'slots' | 'segments' | 'step'> & { nSlots: number };

/** Run `steps` steps on the engine's memory and on a plain copy; return the worst |Δ| / tolerance of params and slots. */
async function compare(setup: Setup, steps: number, seed: number, simdLrFactor = 1): Promise<{ worst: number; simdRan: boolean }> {
  state().engine = engine;
  for (let i = 0; i < 200 && engine.readyThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  const segments = LENGTHS.reduce<{ offset: number; length: number }[]>((a, length) => {
    const last = a[a.length - 1];
    // a gap of padding (zeros) between segments, at odd offsets
    a.push({ offset: last ? last.offset + last.length + 3 : 1, length });
    return a;
  }, []);
  const n = segments[segments.length - 1].offset + segments[segments.length - 1].length + 5;
  const blocks = 2 + setup.nSlots;
  const start = engine.reserve(blocks * n);
  try {
    const r = rand(seed);
    const plain = new Float32Array(blocks * n);
    for (const seg of segments) for (let i = seg.offset; i < seg.offset + seg.length; i++) plain[i] = r();
    const spec = (base: number, step: number, lrFactor = 1): FusedOptimizerStep => ({
      ...setup,
      learningRate: setup.learningRate * lrFactor,
      params: base,
      grads: base + n,
      slots: Array.from({ length: setup.nSlots }, (_, k) => base + (2 + k) * n),
      segments,
      step,
    });
    let h = engine.heap();
    h.set(plain, start);
    const before = engine.heap().slice(start, start + n);
    for (let step = 1; step <= steps; step++) {
      const g = new Float32Array(n);
      for (const seg of segments) for (let i = seg.offset; i < seg.offset + seg.length; i++) g[i] = r() * 0.5;
      plain.set(g, n);
      h = engine.heap();
      h.set(g, start + n);
      fusedOptimizerStep(plain, spec(0, step));
      fusedOptimizerStep(h, spec(start, step, simdLrFactor));
    }
    h = engine.heap();
    let worst = 0;
    for (let b = 0; b < blocks; b++) {
      if (b === 1) continue; // the gradients are inputs
      // float32 rounding, relative to each value and to its block's scale (a moment near zero is
      // the difference of terms of that scale), and of each step's update (at most about lr)
      let scale = 0;
      for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(plain[b * n + i]));
      for (let i = 0; i < n; i++) {
        const want = plain[b * n + i];
        const got = h[start + b * n + i];
        const err = Math.abs(got - want) / (4e-7 * Math.abs(want) + 1e-7 * scale + 1e-6 * setup.learningRate + 1e-12);
        if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
      }
    }
    // the SIMD loops ran: the JS path would give the same bits, so check they are not the same bits
    let differs = false;
    for (let i = 0; i < n && !differs; i++) differs = h[start + i] !== before[i];
    return { worst, simdRan: differs };
  } finally {
    engine.release(start);
  }
}

describe('fused optimizer SIMD loops on the engine memory against the JavaScript loops', () => {
  const cases: [string, Setup][] = [
    ['sgd', { kind: 'sgd', learningRate: 0.05, nSlots: 0 }],
    ['sgd with weight decay', { kind: 'sgd', learningRate: 0.05, weightDecay: 0.01, nSlots: 0 }],
    ['sgd with per-variable norm clipping', { kind: 'sgd', learningRate: 0.05, clipNorm: 0.5, nSlots: 0 }],
    ['adam', { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, nSlots: 2 }],
    ['adamw (decayed weights)', { kind: 'adam', learningRate: 0.003, beta1: 0.8, beta2: 0.99, epsilon: 1e-6, weightDecay: 0.004, nSlots: 2 }],
  ];
  cases.forEach(([name, setup], i) => {
    it(`${name}: 6 steps within float32 rounding`, async () => {
      const { worst, simdRan } = await compare(setup, 6, 40 + i);
      expect(simdRan).toBe(true);
      expect(worst).toBeLessThanOrEqual(1);
    });
  });

  it('a learning rate 0.1 % off fails the comparison: it can fail', async () => {
    for (const setup of [cases[0][1], cases[3][1]]) {
      const { worst } = await compare(setup, 2, 7, 1.001);
      expect(worst).toBeGreaterThan(5);
    }
  });

  it('SGD on the engine: w − lr·g on every float, the last length mod 4 in JavaScript', () => {
    state().engine = engine;
    const start = engine.reserve(2 * 67);
    const h = engine.heap();
    const seg = [{ offset: 0, length: 67 }];
    h.fill(0.5, start, start + 67);
    h.fill(2, start + 67, start + 134);
    fusedOptimizerStep(h, { kind: 'sgd', params: start, grads: start + 67, slots: [], segments: seg, learningRate: 0.1, step: 1 });
    const got = engine.heap().slice(start, start + 67);
    engine.release(start);
    for (let i = 0; i < 67; i++) expect(got[i]).toBeCloseTo(0.3, 6);
  });
});
