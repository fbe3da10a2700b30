import { beforeEach, describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import type { Tensor } from '@neurona/tensor';
import {
  Activation,
  Add,
  Concatenate,
  Dense,
  Dropout,
  ELU,
  Flatten,
  Input,
  LeakyReLU,
  Maxout,
  PReLU,
  ReLU,
  Reshape,
  Softmax,
  resetNames,
} from '../src/index';
import type { Layer } from '../src/index';
import { values } from './helpers';

function close(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(tol));
}

describe('built-in layers', () => {
  beforeEach(() => {
    resetNames();
    T.clearSeed();
  });

  it('output shapes: symbolic shape = computeOutputShape = concrete shape', () => {
    const cases: [Layer, number[]][] = [
      [Dense(7), [5, 3]],
      [Dense(2), [5, 4, 3]],
      [Flatten(), [5, 2, 3, 4]],
      [Flatten(), [5]],
      [Reshape([3, -1]), [5, 12]],
      [Reshape([2, 2, 3]), [5, 3, 4]],
      [Activation('relu'), [5, 3]],
      [Dropout(0.3), [5, 3]],
      [Maxout(4, { pieces: 3 }), [5, 6]],
      [LeakyReLU(), [5, 3]],
      [PReLU(), [5, 2, 3]],
      [ELU(), [5, 3]],
      [Softmax(), [5, 3]],
      [ReLU(), [5, 3]],
    ];
    for (const [layer, shape] of cases) {
      const symbolic = layer(Input({ shape: shape.slice(1) }));
      const computed = layer.computeOutputShape([null, ...shape.slice(1)]);
      const concrete = layer(T.ones(shape));
      expect(symbolic.shape, layer.name).toEqual(computed);
      expect(concrete.shape, layer.name).toEqual([5, ...(computed as number[]).slice(1)]);
    }
    expect(Flatten()(Input({ shape: [28, 28] })).shape).toEqual([null, 784]);
    expect(Concatenate().computeOutputShape([[null, 2], [null, 3]])).toEqual([null, 5]);
    expect(Add().computeOutputShape([[null, 2], [null, 2]])).toEqual([null, 2]);
  });

  it('Dense computes x·W + b then the activation; a softmax or sigmoid output carries its logits', () => {
    const d = Dense(2, { activation: 'softmax', kernelInitializer: 'ones', biasInitializer: { className: 'Constant', config: { value: 0.5 } } });
    const x = T.tensor2d([[1, 2], [0, -1]]);
    T.dispose(d(x)); // builds
    const y = T.tidy(() => {
      const out = d.call(x, {}) as T.Tensor;
      expect(T.logitsOf(out)?.logits.arraySync()).toEqual([[3.5, 3.5], [-0.5, -0.5]]);
      expect(T.logitsOf(out)?.activation).toBe('softmax');
      return out;
    });
    expect(y.arraySync()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(d.activationName).toBe('softmax');
    expect(Dense(3).activationName).toBe('linear');
    expect(Dense(3, { activation: 'leakyRelu' }).activationName).toBe('leaky_relu');
    expect(Activation('softmax').activationName).toBe('softmax');
    expect(Softmax().activationName).toBe('softmax');
    const s = Dense(1, { activation: 'sigmoid', kernelInitializer: 'ones' });
    T.dispose(s(x));
    T.tidy(() => {
      const out = s.call(x, {}) as T.Tensor;
      expect(T.logitsOf(out)?.activation).toBe('sigmoid');
      expect(T.logitsOf(out)?.logits.arraySync()).toEqual([[3], [-1]]);
    });
  });

  it('Dense output equals activation(x·W + b) whether or not the activation is fused', () => {
    const x = T.randomNormal([6, 5], 0, 2, 'float32', 3);
    const acts = [
      'linear', 'relu', 'relu6', 'sigmoid', 'elu', 'leaky_relu', 'tanh', 'softmax', 'gelu',
      { className: 'leaky_relu', config: { alpha: 0.3 } },
      { className: 'leaky_relu', config: { alpha: 1.5 } },
      { className: 'elu', config: { alpha: 0.5 } },
    ] as const;
    for (const activation of acts) {
      const d = Dense(4, { activation, biasInitializer: 'random_normal' });
      const y = values(d(x));
      const z = T.add(T.matMul(x, d.kernel as Tensor), d.bias as Tensor);
      close(y, values(d.activation(z)), 1e-4);
    }
    // a user function that happens to be called relu is applied as written, not fused
    const relu = (t: Tensor): Tensor => T.mul(t, 3);
    const d = Dense(2, { activation: relu, kernelInitializer: 'ones' });
    expect(d.activationName).toBe('relu');
    close(values(d(T.tensor2d([[-1, -1]]))), [-6, -6]);
  });

  it('Dense without bias has one weight; glorot_uniform and zeros by default', () => {
    const d = Dense(4, { useBias: false, name: 'nobias' });
    d(T.ones([1, 3]));
    expect(d.weights.map((w) => w.name)).toEqual(['nobias/kernel']);
    const e = Dense(300);
    e(Input({ shape: [100] }));
    const limit = Math.sqrt(6 / 400);
    const k = values(e.kernel as Tensor);
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(0.9 * limit);
    expect(values(e.bias as Tensor).every((v) => v === 0)).toBe(true);
  });

  it('setSeed makes initial weights reproducible', () => {
    T.setSeed(11);
    const a = Dense(3);
    a(T.ones([1, 2]));
    T.setSeed(11);
    const b = Dense(3);
    b(T.ones([1, 2]));
    expect(values(a.kernel as Tensor)).toEqual(values(b.kernel as Tensor));
  });

  it('Maxout equals max over pieces of w_pᵀx + b_p, computed by hand', () => {
    const units = 2;
    const pieces = 3;
    const m = Maxout(units, { pieces, biasInitializer: 'random_normal' });
    const x = T.tensor2d([[0.5, -1, 2], [1, 1, -0.5]]);
    const y = m(x);
    const W = (m.kernel as Tensor).arraySync() as number[][];
    const b = values(m.bias as Tensor);
    const xs = x.arraySync();
    const expected = xs.flatMap((row) =>
      Array.from({ length: units }, (_u, u) =>
        Math.max(
          ...Array.from({ length: pieces }, (_p, p) => {
            const col = u * pieces + p;
            return row.reduce((s, xi, i) => s + xi * W[i][col], 0) + b[col];
          }),
        ),
      ),
    );
    close(values(y), expected);
    expect(m.countParams()).toBe(3 * 6 + 6);
    expect(Maxout(5).pieces).toBe(2);
    expect(() => Maxout(5, { pieces: 0 })).toThrow(/pieces must be a positive integer, got 0/);
  });

  it('LeakyReLU defaults to alpha 0.1 (max(0.1x, x)); alpha configurable', () => {
    const x = T.tensor1d([-2, -0.5, 0, 3]);
    close(values(LeakyReLU()(x)), [-0.2, -0.05, 0, 3]);
    close(values(LeakyReLU({ alpha: 0.3 })(x)), [-0.6, -0.15, 0, 3]);
    expect(LeakyReLU().alpha).toBe(0.1);
    expect(LeakyReLU({ negativeSlope: 0.2 }).alpha).toBe(0.2);
  });

  it('PReLU starts as ReLU (zeros) and learns per-feature slopes', () => {
    const p = PReLU();
    const x = T.tensor2d([[-1, 2], [3, -4]]);
    expect(p(x).arraySync()).toEqual([[-0, 2], [3, -0]]);
    p.setWeights([T.tensor1d([0.5, 0.25])]);
    expect(p(x).arraySync()).toEqual([[-0.5, 2], [3, -1]]);
    expect(() => p(T.ones([2, 3]))).toThrow('PReLU "p_re_lu" expects input [null, 2], got [2, 3]');
  });

  it('ELU, ReLU options, Softmax on an axis, Activation by function', () => {
    const x = T.tensor1d([-1, 0.5, 8]);
    close(values(ELU({ alpha: 2 })(x)), [2 * (Math.exp(-1) - 1), 0.5, 8]);
    close(values(ReLU()(x)), [0, 0.5, 8]);
    close(values(ReLU({ maxValue: 6 })(x)), [0, 0.5, 6]);
    close(values(ReLU({ negativeSlope: 0.1, threshold: 1 })(x)), [-0.2, -0.05, 8]);
    const s = Softmax({ axis: 0 })(T.tensor2d([[1, 5], [1, 5]]));
    close(values(s), [0.5, 0.5, 0.5, 0.5]);
    close(values(Activation((t: Tensor) => T.mul(t, 2))(x)), [-2, 1, 16]);
  });

  it('Reshape infers -1 and reports impossible targets', () => {
    expect(Reshape([-1, 2])(T.ones([3, 6])).shape).toEqual([3, 3, 2]);
    expect(Reshape([4, -1])(Input({ shape: [null, 4] })).shape).toEqual([null, 4, null]);
    expect(() => Reshape([5, -1])(Input({ shape: [12] }))).toThrow(
      'Reshape "reshape_2" cannot reshape input [null, 12] (12 values per sample) to [5, -1] (a multiple of 5 values per sample)',
    );
    expect(() => Reshape([-1, -1])).toThrow(/at most one -1/);
  });

  it('Dropout: identity at inference, mean preserved in training, seeded reproducible', () => {
    const x = T.ones([200, 50]);
    const d = Dropout(0.4);
    expect(d(x).arraySync()).toEqual(x.arraySync());
    const y = d(x, { training: true });
    const v = values(y);
    const zeros = v.filter((e) => e === 0).length / v.length;
    expect(zeros).toBeGreaterThan(0.37);
    expect(zeros).toBeLessThan(0.43);
    close(v.filter((e) => e !== 0).slice(0, 5), Array(5).fill(1 / 0.6));
    expect(Math.abs(T.mean(y).dataSync()[0] - 1)).toBeLessThan(0.03);

    const a = Dropout(0.5, { seed: 42 });
    const b = Dropout(0.5, { seed: 42 });
    const a1 = values(a(x, { training: true }));
    expect(values(b(x, { training: true }))).toEqual(a1);
    expect(values(a(x, { training: true }))).not.toEqual(a1); // a fresh mask per call
    T.setSeed(5);
    const c1 = values(Dropout(0.5)(x, { training: true }));
    T.setSeed(5);
    expect(values(Dropout(0.5)(x, { training: true }))).toEqual(c1);
    // noiseShape: one mask value per feature, shared over the batch
    const n = values(Dropout(0.5, { noiseShape: [1, null], seed: 1 })(T.ones([4, 6]), { training: true }));
    for (let j = 0; j < 6; j++) expect(new Set([0, 1, 2, 3].map((i) => n[i * 6 + j])).size).toBe(1);
  });
});
