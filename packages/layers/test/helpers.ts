import * as T from '@neurona/tensor';
import type { Scalar, Tensor } from '@neurona/tensor';
import { expect } from 'vitest';
import type { Layer } from '../src/index';

/** Values in [-2, 2] kept at least 0.2 away from 0, so kinks (ReLU, max) are far from the probe. */
export function awayFromZero(shape: number[], seed: number): Tensor {
  const rng = T.createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, () => {
    const m = 0.2 + 1.8 * rng();
    return rng() < 0.5 ? -m : m;
  });
  return T.tensor(v, shape);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tol = 2e-2): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    const scale = Math.max(1, Math.abs(expected[i]));
    if (err > tol * scale) {
      throw new Error(`${what}[${i}]: analytic ${actual[i]} vs finite difference ${expected[i]}`);
    }
  }
}

/**
 * Compares the gradients of `sum(layer(x) · r)` (r fixed random) with respect to every trainable
 * weight and to the input against central finite differences.
 */
export function gradCheck(layer: Layer, x: Tensor | Tensor[], h = 1e-3): void {
  const xs = Array.isArray(x) ? x : [x];
  const run = (inputs: Tensor[]): Tensor => (Array.isArray(x) ? layer.apply(inputs) : layer.apply(inputs[0]));
  const y0 = run(xs);
  const r = T.randomNormal(y0.shape, 0, 1, 'float32', 7);
  y0.dispose();
  const f = (inputs: Tensor[]): number => T.tidy(() => T.sum(T.mul(run(inputs), r)).dataSync()[0]);

  // analytic
  const weights = layer.trainableWeights;
  const grads =
    weights.length > 0 ? T.variableGrads(() => T.sum(T.mul(run(xs), r)) as Scalar, weights).grads : {};
  const dxs = T.grads((...ins: Tensor[]) => T.sum(T.mul(run(ins), r)))(xs);

  // numeric, weights
  for (const w of weights) {
    const base = Array.from(w.dataSync());
    const fd = base.map((_, i) => {
      const p = base.slice();
      p[i] += h;
      w.assign(T.tensor(p, w.shape));
      const fp = f(xs);
      p[i] -= 2 * h;
      w.assign(T.tensor(p, w.shape));
      const fm = f(xs);
      return (fp - fm) / (2 * h);
    });
    w.assign(T.tensor(base, w.shape));
    expectClose(grads[w.name].dataSync(), fd, `d/d ${w.name}`);
  }
  // numeric, inputs
  xs.forEach((xi, k) => {
    const base = Array.from(xi.dataSync());
    const fd = base.map((_, i) => {
      const p = base.slice();
      p[i] += h;
      const plus = xs.map((t, j) => (j === k ? T.tensor(p, xi.shape) : t));
      const fp = f(plus);
      p[i] -= 2 * h;
      const minus = xs.map((t, j) => (j === k ? T.tensor(p, xi.shape) : t));
      const fm = f(minus);
      return (fp - fm) / (2 * h);
    });
    expectClose(dxs[k].dataSync(), fd, `d/d input ${k}`);
  });
}

/** Array values rounded for comparisons. */
export function values(t: Tensor): number[] {
  return Array.from(t.dataSync());
}
