import { afterAll, describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import * as T from '@neurona/tensor';
import { useFastKernels, fastKernelsStatus, fastKernelsActive, relaxedSimdSupported } from '../src/index';

function maxRelErr(a: T.Tensor, b: T.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i] - y[i]) / (1 + Math.abs(y[i])));
  return e;
}

const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

/** Runs `f` with fast kernels on (`threads`) and off; returns both results. */
function both<R>(threads: number, f: () => R): { fast: R; plain: R } {
  useFastKernels({ threads });
  const fast = f();
  useFastKernels(false);
  const plain = f();
  return { fast, plain };
}

describe('useFastKernels', () => {
  afterAll(() => {
    useFastKernels(false);
  });

  it('reports what it turned on and off', () => {
    // backend-node registered cpu ('host'), wasm ('wasm-heap'), webgpu ('device') and tensorflow ('opaque')
    expect(useFastKernels({ threads: 2 })).toMatchObject({ enabled: true, threads: 2, backends: ['cpu', 'wasm'] });
    expect(fastKernelsStatus().kernels).toEqual([
      'NeuronaDense', 'NeuronaMatMulT', 'NeuronaSoftmaxCrossEntropy', 'NeuronaSoftmaxCrossEntropyGrad', 'NeuronaActivationGrad',
      'NeuronaBatchNormTrain', 'NeuronaBatchNormTrainGrad', 'NeuronaEmbeddingGrad', 'NeuronaRecurrent', 'NeuronaRecurrentGrad',
      'NeuronaConv', 'NeuronaConvBackpropInput', 'NeuronaConvBackpropFilter', 'NeuronaPool', 'NeuronaPoolGrad', 'NeuronaBiasGrad',
    ]);
    expect(fastKernelsStatus().builtins).toEqual(expect.arrayContaining(['cpu/Add', 'cpu/Sub', 'cpu/Multiply']));
    expect(fastKernelsActive()).toBe(true);
    expect(useFastKernels(false)).toMatchObject({ enabled: false, backends: [], builtins: [] });
    expect(fastKernelsActive()).toBe(false);
  });

  for (const threads of [1, 2]) {
    it(`matMulT gives the plain path's values for every transpose and odd sizes (${threads} thread(s))`, () => {
      for (const [m, k, n] of [[7, 5, 10], [1, 3, 1], [130, 70, 64], [64, 129, 33]]) {
        for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
          const a = rnd(tA ? [k, m] : [m, k], m + k);
          const b = rnd(tB ? [n, k] : [k, n], n + k + 1);
          const { fast, plain } = both(threads, () => T.matMulT(a, b, tA, tB));
          expect(maxRelErr(fast, plain)).toBeLessThan(1e-5);
        }
      }
    });

    it(`dense with bias and relu, and its gradients, match the plain path (${threads} thread(s))`, () => {
      const x = rnd([130, 70], 1);
      const W = rnd([70, 66], 2);
      const b = rnd([66], 3);
      const w = rnd([130, 66], 4);
      for (const act of ['linear', 'relu', 'sigmoid'] as const) {
        const f = () => T.grads((p: T.Tensor, q: T.Tensor, c: T.Tensor) => T.sum(T.mul(T.dense(p, q, c, act), w)))([x, W, b]);
        const { fast, plain } = both(threads, f);
        fast.forEach((g, i) => expect(maxRelErr(g, plain[i])).toBeLessThan(1e-4));
        const v = both(threads, () => T.dense(x, W, act === 'linear' ? undefined : b, act));
        expect(maxRelErr(v.fast, v.plain)).toBeLessThan(1e-5);
      }
    });
  }

  it('softmax cross-entropy and the fused activation derivatives match the plain path', () => {
    const z = T.mul(rnd([9, 7], 20), 5);
    const y = T.softmax(rnd([9, 7], 21));
    const w = rnd([9], 22);
    const f = () => T.grads((l: T.Tensor) => T.sum(T.mul(T.softmaxCrossEntropyWithLogits(y, l), w)))([z]);
    const g = both(2, f);
    expect(maxRelErr(g.fast[0], g.plain[0])).toBeLessThan(1e-5);
    const v = both(2, () => T.softmaxCrossEntropyWithLogits(y, z));
    expect(maxRelErr(v.fast, v.plain)).toBeLessThan(1e-5);
    const x = T.mul(rnd([5, 6], 23), 4);
    const W = rnd([6, 4], 24);
    const m = rnd([5, 4], 25);
    for (const act of ['relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'] as const) {
      const h = () => T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.dense(p, q, undefined, act), m)))([x, W]);
      const r = both(2, h);
      r.fast.forEach((t, i) => expect(maxRelErr(t, r.plain[i])).toBeLessThan(1e-4));
    }
  });

  it('a short training trajectory (MLP 20-32-5, SGD, 30 steps) is the same with and without them', () => {
    const x = rnd([64, 20], 5);
    const y = T.oneHot(T.tensor1d(Array.from({ length: 64 }, (_, i) => (i * 7) % 5), 'int32'), 5);
    const train = () => {
      const vars = [rnd([20, 32], 6), T.zeros([32]), rnd([32, 5], 7), T.zeros([5])].map((t) => T.variable(t));
      const losses: number[] = [];
      for (let step = 0; step < 30; step++) {
        T.tidy(() => {
          const idx = T.tensor1d(Array.from({ length: 16 }, (_, i) => ((step * 16) % 64) + i), 'int32');
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
      const weights = vars.map((v) => T.clone(v));
      T.dispose(vars);
      return { losses, weights };
    };
    const { fast, plain } = both(2, train);
    expect(plain.losses[29]).toBeLessThan(plain.losses[0]);
    fast.losses.forEach((l, i) => expect(l).toBeCloseTo(plain.losses[i], 4));
    fast.weights.forEach((w, i) => expect(maxRelErr(w, plain.weights[i])).toBeLessThan(1e-4));
  });

  it('cpu Add/Sub/Multiply give tfjs values for every broadcast they take, and defer the rest', () => {
    const cases: [number[], number[]][] = [[[4, 3], [4, 3]], [[4, 3], []], [[], [4, 3]], [[4, 3], [3]], [[3], [4, 3]], [[2, 4, 3], [4, 3]], [[1, 3], [3]], [[4, 1], [4, 3]], [[3], [1, 1]]];
    for (const [sa, sb] of cases) {
      const a = T.add(rnd(sa, 30), 2);
      const b = T.add(rnd(sb, 31), 2);
      for (const op of [T.add, T.sub, T.mul]) {
        const r = both(1, () => op(a, b));
        expect(r.fast.shape).toEqual(r.plain.shape);
        expect(Array.from(r.fast.dataSync())).toEqual(Array.from(r.plain.dataSync()));
      }
    }
    const i = both(1, () => T.add(T.tensor1d([1, 2], 'int32'), T.scalar(3, 'int32')));
    expect(i.fast.dtype).toBe('int32');
    expect(Array.from(i.fast.dataSync())).toEqual([4, 5]);
  });

  it("BatchNormalization's training forward and backward match the portable bodies (odd sizes, one row, large means)", () => {
    for (const [rows, ch, offset] of [[37, 5, 0], [1, 3, 0], [256, 17, 1000], [64, 1, -3]] as const) {
      const x = T.add(T.mul(rnd([rows, ch], rows + ch), 2), offset);
      const gamma = T.add(rnd([ch], 40), 1.5);
      const beta = rnd([ch], 41);
      const w = rnd([rows, ch], 42);
      const fwd = both(2, () => {
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
      const g = both(2, grad);
      g.fast.forEach((t, i) => expect(maxRelErr(t, g.plain[i]), `gradient ${i} [${rows}, ${ch}] + ${offset}`).toBeLessThan(offset === 0 ? 1e-4 : 2e-3));
    }
  });

  it('rejects options it does not understand', () => {
    expect(() => useFastKernels({ threads: 0 })).toThrow('useFastKernels: threads must be an integer >= 1, got 0');
    expect(() => useFastKernels({ enabled: 'yes' as never })).toThrow('useFastKernels: enabled must be a boolean, got string');
    expect(() => useFastKernels(null as never)).toThrow('useFastKernels: expects a boolean or { enabled?, threads?, fma? }, got null');
    expect(() => useFastKernels({ fma: 1 as never })).toThrow('useFastKernels: fma must be a boolean, got number');
  });

  it('fma: false builds the mul+add GEMM, fma: true throws where relaxed SIMD is missing and keeps the engine', () => {
    expect(useFastKernels({ threads: 1, fma: false }).fma).toBe(false);
    const validate = WebAssembly.validate;
    WebAssembly.validate = () => false; // a runtime without relaxed SIMD (Safari)
    try {
      expect(relaxedSimdSupported()).toBe(false);
      expect(() => useFastKernels({ threads: 1, fma: true })).toThrow(/fma: true needs WebAssembly relaxed SIMD/);
      expect(fastKernelsStatus()).toMatchObject({ enabled: true, threads: 1, fma: false });
      // the default follows the probe: a new engine (other threads) without relaxed SIMD is mul+add
      expect(useFastKernels({ threads: 2 }).fma).toBe(false);
    } finally {
      WebAssembly.validate = validate;
    }
    const x = rnd([37, 29], 1), w = rnd([29, 19], 2);
    const { fast, plain } = both(2, () => T.matMulT(x, w, false, false));
    expect(maxRelErr(fast, plain)).toBeLessThan(1e-5);
    T.dispose([x, w, fast, plain]);
  });

  it('turning them off restores tfjs built-in kernels', () => {
    const before = tfc.getKernel('Multiply', 'cpu');
    useFastKernels(true);
    expect(tfc.getKernel('Multiply', 'cpu')).not.toBe(before);
    useFastKernels(false);
    expect(tfc.getKernel('Multiply', 'cpu')).toBe(before);
  });
});
