import { describe, expect, it } from 'vitest';
import * as tfc from '@tensorflow/tfjs-core';
import * as T from '../src/index';

function close(a: T.Tensor, b: T.Tensor, tol = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(y[i])));
}

const rnd = (shape: number[], seed: number) => T.randomUniform(shape, -1, 1, 'float32', seed);

describe('matMulT', () => {
  it('equals matMul with the same transpose flags, and so do its gradients', () => {
    const a = rnd([5, 4], 1);
    const b = rnd([4, 3], 2);
    for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const A = tA ? T.transpose(a) : a;
      const B = tB ? T.transpose(b) : b;
      close(T.matMulT(A, B, tA, tB), T.matMul(A as T.Tensor2D, B as T.Tensor2D, tA, tB));
      const w = rnd([5, 3], 3);
      const gf = T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.matMulT(p, q, tA, tB), w)))([A, B]);
      const gp = T.grads((p: T.Tensor, q: T.Tensor) => T.sum(T.mul(T.matMul(p as T.Tensor2D, q as T.Tensor2D, tA, tB), w)))([A, B]);
      close(gf[0], gp[0]);
      close(gf[1], gp[1]);
    }
  });
});

describe('dense', () => {
  const acts = [
    ['linear', (z: T.Tensor) => z],
    ['relu', (z: T.Tensor) => T.relu(z)],
    ['relu6', (z: T.Tensor) => T.relu6(z)],
    ['elu', (z: T.Tensor) => T.elu(z)],
    ['sigmoid', (z: T.Tensor) => T.sigmoid(z)],
    ['leakyrelu', (z: T.Tensor) => T.leakyRelu(z, 0.1)],
  ] as const;
  for (const [name, f] of acts) {
    it(`fuses ${name}: same values and gradients as matMul + add + activation`, () => {
      const x = T.mul(rnd([6, 5], 4), 3);
      const W = rnd([5, 4], 5);
      const b = rnd([4], 6);
      const w = rnd([6, 4], 7);
      const fused = (p: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.mul(T.dense(p, k, c, name), w));
      const plain = (p: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.mul(f(T.add(T.matMul(p as T.Tensor2D, k as T.Tensor2D), c)), w));
      close(T.dense(x, W, b, name), f(T.add(T.matMul(x as T.Tensor2D, W as T.Tensor2D), b)));
      const gf = T.grads(fused)([x, W, b]);
      const gp = T.grads(plain)([x, W, b]);
      gf.forEach((g, i) => close(g, gp[i], 1e-4));
    });
  }

  it('computes the input gradient only when it is needed, and leaks nothing', async () => {
    const x = rnd([3, 2], 8);
    const W = T.variable(rnd([2, 2], 9));
    const before = T.memory().numTensors;
    const profile = await tfc.profile(() => {
      const { value, grads } = T.variableGrads(() => T.sum(T.dense(x, W)) as T.Scalar, [W]);
      expect(Object.keys(grads)).toEqual([W.name]);
      T.dispose([value, grads]);
    });
    // one product forward (inside NeuronaDense), one for dW; none for dx
    expect(profile.kernels.filter((k) => k.name === 'NeuronaMatMulT')).toHaveLength(1);
    expect(T.memory().numTensors).toBe(before);
  });

  it('names the shapes when they do not fit', () => {
    expect(() => T.dense(T.zeros([2, 3]), T.zeros([4, 5]))).toThrow(/dense: expects x \[batch, 4\].*got x \[2,3\]/);
    expect(() => T.dense(T.zeros([2, 4]), T.zeros([4, 5]), T.zeros([4]))).toThrow(/bias must be \[5\]/);
  });
});

describe('softmaxCrossEntropyWithLogits', () => {
  it('equals -sum(y log softmax(z)) and its gradient is (softmax - y) scaled by dy', () => {
    const z = T.mul(rnd([4, 5], 10), 4);
    const y = T.oneHot(T.tensor1d([0, 3, 4, 1], 'int32'), 5);
    const plain = (l: T.Tensor) => T.neg(T.sum(T.mul(y, T.logSoftmax(l)), 1));
    close(T.softmaxCrossEntropyWithLogits(y, z), plain(z));
    const w = T.tensor1d([1, 2, 3, 4]);
    const [gf] = T.grads((l: T.Tensor) => T.sum(T.mul(T.softmaxCrossEntropyWithLogits(y, l), w)))([z]);
    const [gp] = T.grads((l: T.Tensor) => T.sum(T.mul(plain(l), w)))([z]);
    close(gf, gp);
  });

  it('is stable for large logits and accepts soft labels', () => {
    const z = T.tensor2d([[1000, 0, -1000]]);
    const y = T.tensor2d([[0.8, 0.1, 0.1]]);
    const v = T.softmaxCrossEntropyWithLogits(y, z).dataSync()[0];
    expect(v).toBeCloseTo(0.1 * 1000 + 0.1 * 2000, 2);
  });
});

describe('gatherRows', () => {
  it('equals gather along axis 0, for runs and scattered indices, and has its gradient', () => {
    const x = rnd([7, 3], 11);
    for (const ix of [[0, 1, 2], [4, 5, 6, 0], [6, 2, 2, 3, 4]]) {
      const i = T.tensor1d(ix, 'int32');
      close(T.gatherRows(x, i), T.gather(x, i));
      const w = rnd([ix.length, 3], 12);
      const [g1] = T.grads((a: T.Tensor) => T.sum(T.mul(T.gatherRows(a, i), w)))([x]);
      const [g2] = T.grads((a: T.Tensor) => T.sum(T.mul(T.gather(a, i), w)))([x]);
      close(g1, g2);
    }
    expect(() => T.gatherRows(x, [7])).toThrow(/index 7 is not in \[0, 6\]/);
  });
});
