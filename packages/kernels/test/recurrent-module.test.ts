// The WebAssembly SIMD activations of the gate module (recurrent-module.ts) against float64
// references rounded to float32 (Math.exp / Math.tanh), over a dense grid, saturation, ±0,
// huge values, infinities and NaN: sigmoid and tanh within a few float32 ulps, relu,
// hard_sigmoid and linear exact, NaN handled as the JavaScript loops of recurrent-kernels.ts.
import { describe, expect, it } from 'vitest';
import { recurrentModule, type GateActivation } from '../src/recurrent-module';

const SMALLEST_NORMAL = 1.1754943508222875e-38;

/** Spacing of float32 values at |v| (the ulp), at least the smallest normal's. */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a < SMALLEST_NORMAL) return SMALLEST_NORMAL;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** The grid: dense over [−100, 100], fine near 0, edges, and random float32 bit patterns. */
function grid(): Float32Array {
  const xs: number[] = [];
  for (let i = -100_000; i <= 100_000; i++) xs.push(i / 1000);
  for (let i = -2000; i <= 2000; i++) xs.push(i * 1e-6, i * 1e-9);
  for (const v of [0, -0, 1e-45, -1e-45, 1e-38, -1e-38, 1e-20, -1e-20, 0.625, -0.625, 0.62499994, 87.3, -87.3, 88.7, -88.7, 89, -89, 103, -104, 1e10, -1e10, 3.4e38, -3.4e38, Infinity, -Infinity]) xs.push(v);
  // random bit patterns (finite ones), deterministic
  let s = 12345;
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  for (let i = 0; i < 20_000; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    bits[0] = s;
    if (Number.isFinite(f[0])) xs.push(f[0]);
  }
  while (xs.length % 4 !== 0) xs.push(0);
  return Float32Array.from(xs);
}

function run(kind: GateActivation, x: Float32Array, recurrent = false): Float32Array {
  // a maximum, as the engine's memory has (the module declares one)
  const memory = new WebAssembly.Memory({ initial: Math.ceil((x.length * 8 + 64) / 65536) + 1, maximum: 1024 });
  // a gate module whose activation (or recurrent activation) is `kind`
  const mod = recurrentModule(memory, recurrent ? 'linear' : kind, recurrent ? kind : 'linear');
  if (!mod) throw new Error('WebAssembly SIMD is not available');
  const heap = new Float32Array(memory.buffer);
  heap.set(x, 16);
  const yAt = 16 + x.length;
  (recurrent ? mod.ract_map : mod.act_map)(64, yAt * 4, x.length);
  return heap.slice(yAt, yAt + x.length);
}

const REF: Record<'sigmoid' | 'tanh', (x: number) => number> = {
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: (x) => Math.tanh(x),
};

describe('recurrent gate module: SIMD activations', () => {
  const x = grid();

  for (const kind of ['sigmoid', 'tanh'] as const) {
    it(`${kind}: within 3 float32 ulps of Math-based values over ${x.length} points`, () => {
      for (const recurrent of [false, true]) {
        const y = run(kind, x, recurrent);
        let worst = 0;
        let at = 0;
        for (let i = 0; i < x.length; i++) {
          const ref = Math.fround(REF[kind](x[i]));
          const err = Math.abs(y[i] - ref) / ulp(ref);
          if (err > worst) [worst, at] = [err, x[i]];
        }
        expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(3);
      }
    });

    it(`${kind}: saturates exactly, keeps ±0 and gives NaN for NaN`, () => {
      const y = run(kind, Float32Array.from([Infinity, -Infinity, 1e30, -1e30, 200, -200, 0, -0, NaN, NaN, NaN, NaN]));
      if (kind === 'sigmoid') {
        expect(Array.from(y.slice(0, 8))).toEqual([1, 0, 1, 0, 1, 0, 0.5, 0.5]);
      } else {
        expect(Array.from(y.slice(0, 6))).toEqual([1, -1, 1, -1, 1, -1]);
        expect(Object.is(y[6], 0)).toBe(true);
        expect(Object.is(y[7], -0)).toBe(true);
      }
      expect(y.slice(8).every(Number.isNaN)).toBe(true);
    });
  }

  it('relu and linear exact, hard_sigmoid within an ulp, NaN as the JS loops (relu(NaN) = 0)', () => {
    const xs = Float32Array.from([-5, -3, -2.5, -0, 0, 0.3, 1, 2.9999, 3, 4, 1e30, -1e30, Infinity, -Infinity, NaN, 7]);
    const relu = run('relu', xs);
    const hard = run('hard_sigmoid', xs, true);
    const lin = run('linear', xs);
    xs.forEach((v, i) => {
      const r = v > 0 ? v : 0;
      expect(Object.is(relu[i], r) || relu[i] === r, `relu(${v})`).toBe(true);
      const h = (v + 3) / 6;
      const hr = Number.isNaN(h) ? NaN : h < 0 ? 0 : h > 1 ? 1 : Math.fround(h);
      if (Number.isNaN(hr)) expect(hard[i]).toBeNaN();
      // float32 sums in wasm, float64 in JS then rounded: within one ulp
      else expect(Math.abs(hard[i] - hr), `hard_sigmoid(${v})`).toBeLessThanOrEqual(hr === 0 ? 0 : ulp(hr));
      if (Number.isNaN(v)) expect(lin[i]).toBeNaN();
      else expect(lin[i]).toBe(v);
    });
  });
});
