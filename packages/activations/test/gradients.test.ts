import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as A from '../src/index';
import { SCALAR_REFS, VARIANT_REFS, erf64, softmax2d, maxout2d } from './reference-fns';
import { ERF } from './reference-values';

// Each check: L(x) = Σ wᵢ·f(x)ᵢ with fixed weights w. The gradient tfjs computes in float32 is
// compared with central differences of the float64 reference definition (h = 1e-5).
const H = 1e-5;
const weightsFor = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (0.5 + 0.3 * (i % 5)));

function finiteDifferences(f: (v: Float64Array) => Float64Array, x: number[], w: number[]): number[] {
  const loss = (v: Float64Array): number => f(v).reduce((s, y, i) => s + w[i] * y, 0);
  return x.map((_, i) => {
    const p = Float64Array.from(x);
    const m = Float64Array.from(x);
    p[i] += H;
    m[i] -= H;
    return (loss(p) - loss(m)) / (2 * H);
  });
}

function tfGradient(f: (t: T.Tensor) => T.Tensor, x: number[], shape: number[], w: number[]): number[] {
  return T.tidy(() => {
    const g = T.grads((t: T.Tensor) => T.sum(T.mul(T.reshape(f(t), [-1]), T.tensor(w))));
    const [dx] = g([T.tensor(x, shape)]);
    return Array.from(dx.dataSync());
  });
}

function expectGradClose(actual: number[], expected: number[], what: string, x: number[]): void {
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    expect(Number.isNaN(a), `${what}: gradient at x=${x[i]} is NaN`).toBe(false);
    if (!Number.isFinite(e)) continue; // the true derivative is infinite (exp at 1000)
    const tol = 2e-5 + 2e-4 * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) throw new Error(`${what}: gradient at x=${x[i]} is ${a}, finite differences give ${e} ± ${tol}`);
  }
}

// Away from kinks (0 for relu, ±3 for hard_sigmoid, 6 for relu6), plus ±1000 for stability.
const XS = [-1000, -6.5, -3.7, -2.2, -1.3, -0.7, -0.25, 0.15, 0.6, 1.1, 1.9, 2.8, 3.6, 6.5, 1000];

describe('the float64 erf used by the references', () => {
  it('matches Python\'s math.erf', () => {
    for (const [z, e] of ERF) expect(Math.abs(erf64(z) - e)).toBeLessThan(1e-13);
  });
});

describe('gradients against finite differences (elementwise activations, x from −1000 to 1000)', () => {
  const cases: [string, (t: T.Tensor) => T.Tensor, (x: number) => number][] = [
    ...Object.entries(SCALAR_REFS).map(([name, ref]): [string, (t: T.Tensor) => T.Tensor, (x: number) => number] => [
      name,
      A.get(name),
      ref,
    ]),
    ['leaky_relu(alpha=0.3)', (t) => A.leakyRelu(t, 0.3), VARIANT_REFS['leaky_relu(alpha=0.3)']],
    ['leaky_relu(alpha=2)', (t) => A.leakyRelu(t, 2), VARIANT_REFS['leaky_relu(alpha=2)']],
    ['elu(alpha=0.5)', (t) => A.elu(t, 0.5), VARIANT_REFS['elu(alpha=0.5)']],
    ['gelu(approximate)', (t) => A.gelu(t, true), VARIANT_REFS['gelu(approximate)']],
  ];
  for (const [name, f, ref] of cases) {
    it(name, () => {
      const w = weightsFor(XS.length);
      const fd = finiteDifferences((v) => v.map(ref), XS, w);
      expectGradClose(tfGradient(f, XS, [XS.length], w), fd, name, XS);
    });
  }
  it('every registered activation is covered', () => {
    for (const name of A.registry.keys()) {
      if (name === 'softmax' || name === 'log_softmax') continue; // checked below
      const canonical = A.get(name).className;
      expect(Object.keys(SCALAR_REFS), name).toContain(canonical);
    }
  });
});

describe('gradients against finite differences (softmax, log_softmax, maxout)', () => {
  const small = [0.3, -1.2, 2.0, 0.5, 1.5, 0.1, -0.4, -2.2, 0.7, 0.9, -0.6, 1.1];
  const large = [1000, -1000, 0, 3, 1, 2, 3, 4, -5, 0.5, 700, -700];
  for (const [label, x] of [['moderate', small], ['±1000', large]] as const) {
    for (const axis of [0, 1] as const) {
      for (const log of [false, true]) {
        const name = `${log ? 'log_softmax' : 'softmax'} axis ${axis}, ${label} inputs`;
        const f = (t: T.Tensor) => (log ? A.logSoftmax(t, axis) : A.softmax(t, axis));
        it(name, () => {
          const w = weightsFor(12);
          const fd = finiteDifferences((v) => softmax2d(v, 3, 4, axis, log), [...x], w);
          expectGradClose(tfGradient(f, [...x], [3, 4], w), fd, name, [...x]);
        });
      }
    }
  }

  it('maxout (pieces 2 and 3)', () => {
    const x = [0.3, -1.2, 2.0, 0.5, 1.5, 0.1, -0.4, -2.2, 0.7, 0.9, -0.6, 1.1];
    for (const pieces of [2, 3]) {
      const w = weightsFor(12 / pieces);
      const fd = finiteDifferences((v) => maxout2d(v, 2, 6, pieces), x, w);
      expectGradClose(tfGradient((t) => A.maxout(t, pieces), x, [2, 6], w), fd, `maxout(${pieces})`, x);
    }
  });
});
