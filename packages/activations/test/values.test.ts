import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as A from '../src/index';
import {
  X, REF, LEAKY_0_3, LEAKY_MAX_2, ELU_0_5, GELU_TANH, M,
  SOFTMAX_AXIS0, SOFTMAX_AXIS1, LOG_SOFTMAX_AXIS0, LOG_SOFTMAX_AXIS1,
} from './reference-values';

// float32 results against float64 references: absolute 1e-6 near 0, relative 1e-5 elsewhere.
function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (!Number.isFinite(e)) {
      expect(a, `${what}[${i}]`).toBe(e);
      continue;
    }
    const tol = 1e-6 + 1e-5 * Math.abs(e);
    if (!(Math.abs(a - e) <= tol)) throw new Error(`${what}[${i}] (x=${X[i] ?? i}): got ${a}, expected ${e} ± ${tol}`);
  }
}

const values = (t: T.Tensor): number[] => Array.from(t.dataSync());

describe('activation values against PyTorch (float64) references, x from −1000 to 1000', () => {
  const x = T.tensor1d(X);
  for (const name of Object.keys(REF)) {
    it(name, () => {
      const y = values(A.get(name)(x));
      expectClose(y, REF[name], name);
      // Stable for large |x|: no NaN anywhere, and Inf only where the true value is infinite.
      y.forEach((v, i) => {
        expect(Number.isNaN(v), `${name}(${X[i]}) is NaN`).toBe(false);
        if (Number.isFinite(REF[name][i])) expect(Number.isFinite(v), `${name}(${X[i]}) = ${v}`).toBe(true);
      });
    });
  }

  it('leaky_relu defaults to alpha 0.1 (the course) and takes alpha', () => {
    expectClose(values(A.leakyRelu(x)), REF.leaky_relu, 'leakyRelu(x)');
    expectClose(values(A.leakyRelu(x, 0.3)), LEAKY_0_3, 'leakyRelu(x, 0.3)');
  });

  it('leaky_relu is max(alpha·x, x) also for alpha > 1', () => {
    expectClose(values(A.leakyRelu(x, 2)), LEAKY_MAX_2, 'leakyRelu(x, 2)');
  });

  it('elu takes alpha', () => {
    expectClose(values(A.elu(x, 0.5)), ELU_0_5, 'elu(x, 0.5)');
  });

  it('gelu is exact by default (Keras approximate=false) and offers the tanh approximation', () => {
    expectClose(values(A.gelu(x)), REF.gelu, 'gelu(x)');
    expectClose(values(A.gelu(x, true)), GELU_TANH, 'gelu(x, true)');
  });

  it('swish is silu and hard_swish is hard_silu, as in Keras', () => {
    expect(A.swish).toBe(A.silu);
    expect(A.hardSwish).toBe(A.hardSilu);
    expect(A.get('swish').className).toBe('silu');
  });

  it('linear returns its input unchanged (the same tensor)', () => {
    expect(A.linear(x)).toBe(x);
  });

  it('selu uses Keras constants alpha 1.6732632423543772 and scale 1.0507009873554805', () => {
    const y = values(A.selu(T.tensor1d([1, -1])));
    expect(y[0]).toBeCloseTo(1.0507009873554805, 6);
    expect(y[1]).toBeCloseTo(1.0507009873554805 * 1.6732632423543772 * Math.expm1(-1), 6);
  });

  it('hard_sigmoid is Keras 3\'s relu6(x + 3) / 6 (0 below −3, 1 above 3, x/6 + 1/2 between)', () => {
    expectClose(values(A.hardSigmoid(T.tensor1d([-3.5, -3, 1.2, 3, 3.5]))), [0, 0, 0.7, 1, 1], 'hardSigmoid');
  });
});

describe('softmax and log_softmax', () => {
  const m = T.tensor2d(M);
  it('softmax along the last axis (default) and along axis 0, with entries of ±1000', () => {
    expectClose(values(A.softmax(m)), SOFTMAX_AXIS1.flat(), 'softmax axis -1');
    expectClose(values(A.softmax(m, 1)), SOFTMAX_AXIS1.flat(), 'softmax axis 1');
    expectClose(values(A.softmax(m, 0)), SOFTMAX_AXIS0.flat(), 'softmax axis 0');
    expectClose(values(A.softmax(m, -2)), SOFTMAX_AXIS0.flat(), 'softmax axis -2');
  });

  it('log_softmax along both axes stays finite where softmax underflows', () => {
    expectClose(values(A.logSoftmax(m)), LOG_SOFTMAX_AXIS1.flat(), 'log_softmax axis -1');
    expectClose(values(A.logSoftmax(m, 0)), LOG_SOFTMAX_AXIS0.flat(), 'log_softmax axis 0');
  });

  it('softmax rows sum to 1; a 3-D input along the middle axis', () => {
    const t = T.tensor3d([[[1, 2], [3, 4], [5, 0]], [[-1, 0], [0, 0], [9, 9]]]);
    const s = A.softmax(t, 1);
    expect(s.shape).toEqual([2, 3, 2]);
    values(T.sum(s, 1)).forEach((v) => expect(v).toBeCloseTo(1, 6));
    const e = [Math.exp(1), Math.exp(3), Math.exp(5)];
    expect((s.arraySync() as number[][][])[0].map((r) => r[0])).toEqual(e.map((v) => expect.closeTo(v / (e[0] + e[1] + e[2]), 6)));
  });

  it('an axis outside the rank is an error naming the valid range', () => {
    expect(() => A.softmax(m, 2)).toThrow('softmax: axis must be an integer in [-2, 1] for a rank-2 input, got 2');
    expect(() => A.logSoftmax(m, 0.5)).toThrow('log_softmax: axis must be an integer');
  });
});

describe('maxout', () => {
  it('takes the max over consecutive groups of `pieces` along the last axis', () => {
    const x = T.tensor2d([[1, 5, 3, 2, -1, -4], [0, -2, 7, 8, 6, 6]]);
    expect(A.maxout(x, 2).arraySync()).toEqual([[5, 3, -1], [0, 8, 6]]);
    expect(A.maxout(x, 3).arraySync()).toEqual([[5, 2], [7, 8]]);
    expect(A.maxout(x, 6).arraySync()).toEqual([[5], [8]]);
    expect(A.maxout(x, 1).arraySync()).toEqual(x.arraySync());
  });

  it('works on higher ranks, keeping the leading dimensions', () => {
    const x = T.tensor3d([[[1, 2, 3, 4]], [[4, 3, 2, 1]]]);
    const y = A.maxout(x, 2);
    expect(y.shape).toEqual([2, 1, 2]);
    expect(y.arraySync()).toEqual([[[2, 4]], [[4, 2]]]);
  });

  it('rejects pieces that do not divide the last dimension, and bad pieces', () => {
    const x = T.zeros([2, 6]);
    expect(() => A.maxout(x, 4)).toThrow('maxout: the last dimension must be divisible by pieces=4, got input shape [2, 6]');
    expect(() => A.maxout(x, 0)).toThrow('maxout: pieces must be a positive integer, got 0');
    expect(() => A.maxout(x, 1.5)).toThrow('maxout: pieces must be a positive integer, got 1.5');
  });
});

describe('argument checks', () => {
  const x = T.tensor1d([1, -1]);
  it('alpha must be finite', () => {
    expect(() => A.leakyRelu(x, Number.NaN)).toThrow('leaky_relu: alpha must be a finite number, got NaN');
    expect(() => A.elu(x, Infinity)).toThrow('elu: alpha must be a finite number, got Infinity');
  });
});

describe('memory', () => {
  it('each activation leaves exactly its output alive (intermediates are disposed)', () => {
    const x = T.tensor2d([[0.5, -2, 3, 1]]);
    for (const [name, f] of A.registry) {
      const before = T.memory().numTensors;
      const y = f(x);
      const made = T.memory().numTensors - before;
      expect(made, name).toBe(y === x ? 0 : 1);
      if (y !== x) y.dispose();
    }
    for (const f of [(t: T.Tensor) => A.softmax(t, 0), (t: T.Tensor) => A.maxout(t, 2), (t: T.Tensor) => A.elu(t, 0.5), (t: T.Tensor) => A.gelu(t, true), (t: T.Tensor) => A.leakyRelu(t, 2)]) {
      const before = T.memory().numTensors;
      const y = f(x);
      expect(T.memory().numTensors - before).toBe(1);
      y.dispose();
    }
  });
});
