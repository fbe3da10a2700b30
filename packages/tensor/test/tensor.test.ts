import { describe, expect, it } from 'vitest';
import * as T from '../src/index';

describe('@neurona/tensor', () => {
  it('has chained ops registered (t.argMax(1))', () => {
    const t = T.tensor2d([[1, 5, 2], [7, 0, 1]]);
    expect(t.argMax(1).arraySync()).toEqual([1, 0]);
    expect(t.square().sum().arraySync()).toBe(1 + 25 + 4 + 49 + 0 + 1);
  });

  it('has gradients registered: d/dx sum(x^2 * 3) = 6x', () => {
    const g = T.grads((x) => T.sum(T.mul(T.square(x), 3)));
    const [dx] = g([T.tensor1d([1, -2, 0.5])]);
    expect(Array.from(dx.dataSync())).toEqual([6, -12, 3]);
  });

  it('softmax gradient matches finite differences', () => {
    const w = T.tensor1d([0.3, -1, 2]);
    const f = (x: T.Tensor) => T.sum(T.mul(T.softmax(x), w));
    const x0 = [0.1, 0.5, -0.2];
    const [dx] = T.grads(f)([T.tensor1d(x0)]);
    const h = 1e-2;
    const fd = x0.map((_, i) => {
      const p = x0.slice(); p[i] += h;
      const m = x0.slice(); m[i] -= h;
      return ((f(T.tensor1d(p)).dataSync()[0]) - (f(T.tensor1d(m)).dataSync()[0])) / (2 * h);
    });
    Array.from(dx.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(fd[i], 3));
  });

  it('dense(x, W, b) equals matMul + bias and has the same gradients as the plain form', () => {
    const x = T.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
    const W = T.tensor2d([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]);
    const b = T.tensor1d([0.01, -0.02]);
    const fused = (a: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.square(T.dense(a, k, c)));
    const plain = (a: T.Tensor, k: T.Tensor, c: T.Tensor) => T.sum(T.square(T.add(T.matMul(a as T.Tensor2D, k as T.Tensor2D), c)));
    const gf = T.grads(fused)([x, W, b]);
    const gp = T.grads(plain)([x, W, b]);
    expect(T.dense(x, W, b).arraySync()).toEqual(T.add(T.matMul(x, W), b).arraySync());
    gf.forEach((g, i) => {
      const a = g.dataSync(); const e = gp[i].dataSync();
      a.forEach((v, j) => expect(v).toBeCloseTo(e[j], 5));
    });
  });

  it('setSeed makes random tensors and shuffles reproducible', () => {
    T.setSeed(42);
    const a = T.randomNormal([5]).dataSync();
    const p = T.shuffledIndices(10);
    T.setSeed(42);
    const b = T.randomNormal([5]).dataSync();
    const q = T.shuffledIndices(10);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(p)).toEqual(Array.from(q));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    T.setSeed(43);
    expect(Array.from(T.randomNormal([5]).dataSync())).not.toEqual(Array.from(a));
    T.clearSeed();
  });

  it('truncatedNormal stays within 2 stddev', () => {
    const v = T.truncatedNormal([2000], 1, 0.5, 'float32', 7).dataSync();
    for (const x of v) expect(Math.abs(x - 1)).toBeLessThanOrEqual(1.0 + 1e-6);
  });

  it('tidy releases intermediates; memory() counts them', () => {
    const before = T.memory().numTensors;
    const kept = T.tidy(() => T.add(T.ones([3]), T.ones([3])).mul(2));
    expect(T.memory().numTensors).toBe(before + 1);
    T.dispose(kept);
    expect(T.memory().numTensors).toBe(before);
  });

  it('backend registry: getBackendInfo and a clear error for unknown backends', async () => {
    expect(T.getBackendInfo()).toMatchObject({ name: 'cpu', kind: 'cpu', capabilities: { memory: 'host', syncRead: true, gpu: false } });
    await expect(T.setBackend('nope')).rejects.toThrow(/Unknown backend "nope": registered providers are \[.*cpu.*\]/);
  });
});
