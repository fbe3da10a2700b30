// neurona's fast kernels on the wasm backend ('wasm-heap' memory; the other tests run on cpu):
// same values as tfjs's kernels, same trajectory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import { useFastKernels, fastKernelsStatus, fastKernelsActive } from '../src/index';

function maxRelErr(a: T.Tensor, b: T.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return e;
}

const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

function both<R>(f: () => R): { fast: R; plain: R } {
  useFastKernels({ threads: 2 });
  const fast = f();
  useFastKernels(false);
  const plain = f();
  return { fast, plain };
}

describe('fast kernels on wasm', () => {
  beforeAll(async () => {
    // backend-node's wasm provider (registered by the test setup) declares 'wasm-heap' memory
    await T.setBackend('wasm');
  });
  afterAll(async () => {
    useFastKernels(false);
    await T.setBackend('cpu');
  });

  it('are on for wasm because it declares wasm-heap memory, with the shared Identity', () => {
    useFastKernels(true);
    expect(T.getBackendInfo().capabilities.memory).toBe('wasm-heap');
    expect(fastKernelsActive()).toBe(true);
    expect(fastKernelsStatus().builtins).toContain('wasm/Identity');
    useFastKernels(false);
    expect(fastKernelsStatus().builtins).toEqual([]);
  });

  it('matMulT, dense (+relu, bias) and their gradients match tfjs', () => {
    for (const [m, k, n] of [[7, 5, 10], [130, 70, 64], [128, 784, 128]]) {
      for (const [tA, tB] of [[false, false], [true, false], [false, true]] as const) {
        const a = rnd(tA ? [k, m] : [m, k], m + k);
        const b = rnd(tB ? [n, k] : [k, n], n + k + 1);
        const r = both(() => T.matMulT(a, b, tA, tB));
        expect(maxRelErr(r.fast, r.plain)).toBeLessThan(1e-5);
      }
    }
    const x = rnd([96, 784], 1);
    const W = rnd([784, 128], 2);
    const b = rnd([128], 3);
    const w = rnd([96, 128], 4);
    const g = both(() => T.grads((p: T.Tensor, q: T.Tensor, c: T.Tensor) => T.sum(T.mul(T.dense(p, q, c, 'relu'), w)))([x, W, b]));
    g.fast.forEach((t, i) => expect(maxRelErr(t, g.plain[i])).toBeLessThan(1e-4));
  });

  it('softmax cross-entropy and every fused activation derivative match their portable bodies', () => {
    const z = T.mul(rnd([9, 7], 20), 5);
    const y = T.softmax(rnd([9, 7], 21));
    const w = rnd([9], 22);
    const g = both(() => T.grads((l: T.Tensor) => T.sum(T.mul(T.softmaxCrossEntropyWithLogits(y, l), w)))([z]));
    expect(maxRelErr(g.fast[0], g.plain[0])).toBeLessThan(1e-5);
    const x = T.mul(rnd([5, 6], 23), 4);
    const W = rnd([6, 4], 24);
    const m = rnd([5, 4], 25);
    for (const act of ['relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
      const r = both(() => T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.dense(p, q, undefined, act), m)))([x, W]));
      r.fast.forEach((t, i) => expect(maxRelErr(t, r.plain[i])).toBeLessThan(1e-4));
    }
  });

  it('a shared Identity keeps clones valid through dispose and assign', () => {
    useFastKernels(true);
    const v = T.variable(T.tensor1d([1, 2, 3]));
    const c = T.clone(v);
    v.assign(T.tensor1d([4, 5, 6]));
    expect(Array.from(c.dataSync())).toEqual([1, 2, 3]);
    const before = T.memory().numTensors;
    const d = T.clone(c);
    c.dispose();
    expect(Array.from(d.dataSync())).toEqual([1, 2, 3]);
    d.dispose();
    expect(T.memory().numTensors).toBe(before - 1);
    useFastKernels(false);
    expect(Array.from(T.clone(v).dataSync())).toEqual([4, 5, 6]);
  });

  it('an MLP training trajectory (40 steps) is the same with and without fast kernels, and leaks nothing', () => {
    const x = rnd([256, 784], 5);
    const y = T.oneHot(T.tensor1d(Array.from({ length: 256 }, (_, i) => (i * 7) % 10), 'int32'), 10);
    const train = () => {
      const vars = [T.mul(rnd([784, 128], 6), 0.08), T.zeros([128]), T.mul(rnd([128, 10], 7), 0.2), T.zeros([10])].map((t) => T.variable(t));
      const losses: number[] = [];
      const start = T.memory().numTensors;
      for (let step = 0; step < 40; step++) {
        T.tidy(() => {
          const idx = T.tensor1d(Array.from({ length: 64 }, (_, i) => ((step * 64) % 256) + i), 'int32');
          const xb = T.gatherRows(x, idx);
          const yb = T.gatherRows(y, idx);
          const { value, grads } = T.variableGrads(() => {
            const h = T.dense(xb, vars[0], vars[1], 'relu');
            return T.mean(T.softmaxCrossEntropyWithLogits(yb, T.dense(h, vars[2], vars[3]))) as T.Scalar;
          }, vars);
          for (const v of vars) v.assign(T.sub(v, T.mul(grads[v.name], 0.1)));
          losses.push(value.dataSync()[0]);
        });
      }
      expect(T.memory().numTensors).toBe(start);
      const weights = vars.map((v) => T.clone(v));
      T.dispose(vars);
      return { losses, weights };
    };
    const { fast, plain } = both(train);
    expect(plain.losses[39]).toBeLessThan(plain.losses[0]);
    fast.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i], 4));
    fast.weights.forEach((w, i) => expect(maxRelErr(w, plain.weights[i])).toBeLessThan(1e-4));
  });
  it("BatchNormalization's training forward and backward match the portable bodies (odd sizes, one row, large means)", () => {
    for (const [rows, ch, offset] of [[37, 5, 0], [1, 3, 0], [256, 17, 1000], [64, 1, -3]] as const) {
      const x = T.add(T.mul(rnd([rows, ch], rows + ch), 2), offset);
      const gamma = T.add(rnd([ch], 40), 1.5);
      const beta = rnd([ch], 41);
      const w = rnd([rows, ch], 42);
      const fwd = both(() => {
        const r = T.batchNormTrain(x, gamma, beta, 1e-3);
        return [r.y, r.mean, r.variance];
      });
      // the portable body's float32 sums lose digits on large means: compare with it loosely there,
      // and with a float64 reference always
      fwd.fast.forEach((t, i) => expect(maxRelErr(t, fwd.plain[i]), `output ${i} [${rows}, ${ch}] + ${offset}`).toBeLessThan(offset === 0 ? 1e-4 : 5e-3));
      const xs = Array.from(x.dataSync());
      const [gs, bs] = [Array.from(gamma.dataSync()), Array.from(beta.dataSync())];
      const ref: number[] = [];
      for (let c = 0; c < ch; c++) {
        let m = 0;
        for (let r = 0; r < rows; r++) m += xs[r * ch + c] / rows;
        let v = 0;
        for (let r = 0; r < rows; r++) v += (xs[r * ch + c] - m) ** 2 / rows;
        for (let r = 0; r < rows; r++) ref[r * ch + c] = ((xs[r * ch + c] - m) / Math.sqrt(v + 1e-3)) * gs[c] + bs[c];
      }
      const yFast = fwd.fast[0].dataSync();
      ref.forEach((want, j) => expect(Math.abs(yFast[j] - want)).toBeLessThan(1e-5));
      const grad = () => T.grads((p: T.Tensor, g: T.Tensor, b: T.Tensor) => T.sum(T.mul(T.batchNormTrain(p, g, b, 1e-3).y, w)))([x, gamma, beta]);
      const g = both(grad);
      g.fast.forEach((t, i) => expect(maxRelErr(t, g.plain[i]), `gradient ${i} [${rows}, ${ch}] + ${offset}`).toBeLessThan(offset === 0 ? 1e-4 : 2e-3));
    }
  });

});
