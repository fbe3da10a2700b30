import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as I from '../src/index';
import { sampleStats } from './stats';

function maxAbsDiffFromScaledIdentity(m: number[][], scale: number): number {
  let worst = 0;
  m.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (i === j ? scale : 0))))));
  return worst;
}

describe('computeFans (as Keras)', () => {
  it('dense [in, out], vectors, scalars', () => {
    expect(I.computeFans([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(I.computeFans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(I.computeFans([])).toEqual({ fanIn: 1, fanOut: 1 });
  });

  it('convolution kernels: receptive field × channels', () => {
    expect(I.computeFans([5, 16, 32])).toEqual({ fanIn: 80, fanOut: 160 }); // Conv1D
    expect(I.computeFans([3, 3, 32, 64])).toEqual({ fanIn: 288, fanOut: 576 }); // Conv2D
    expect(I.computeFans([2, 3, 4, 5, 6])).toEqual({ fanIn: 120, fanOut: 144 }); // Conv3D
  });
});

describe('Orthogonal', () => {
  it('tall matrices have orthonormal columns: WᵀW ≈ I', () => {
    const w = I.Orthogonal({ seed: 1 })([50, 20]);
    const wtw = T.matMul(w, w, true, false).arraySync() as number[][];
    expect(maxAbsDiffFromScaledIdentity(wtw, 1)).toBeLessThan(1e-5);
  });

  it('wide matrices have orthonormal rows: WWᵀ ≈ I', () => {
    const w = I.Orthogonal({ seed: 2 })([10, 30]);
    const wwt = T.matMul(w, w, false, true).arraySync() as number[][];
    expect(maxAbsDiffFromScaledIdentity(wwt, 1)).toBeLessThan(1e-5);
  });

  it('square ones are orthogonal both ways, and gain scales them: WᵀW ≈ gain²·I', () => {
    const w = I.Orthogonal({ gain: 1.5, seed: 3 })([64, 64]);
    expect(maxAbsDiffFromScaledIdentity(T.matMul(w, w, true, false).arraySync() as number[][], 2.25)).toBeLessThan(1e-5);
    expect(maxAbsDiffFromScaledIdentity(T.matMul(w, w, false, true).arraySync() as number[][], 2.25)).toBeLessThan(1e-5);
  });

  it('conv kernels flatten to [prod(shape[:-1]), shape[-1]]', () => {
    const w = I.Orthogonal({ seed: 4 })([3, 3, 4, 16]);
    expect(w.shape).toEqual([3, 3, 4, 16]);
    const flat = T.reshape(w, [36, 16]);
    expect(maxAbsDiffFromScaledIdentity(T.matMul(flat, flat, true, false).arraySync() as number[][], 1)).toBeLessThan(1e-5);
  });

  it('an MNIST-sized kernel [784, 128] is orthonormal and quick', () => {
    const start = performance.now();
    const w = I.Orthogonal({ seed: 5 })([784, 128]);
    expect(performance.now() - start).toBeLessThan(5000);
    expect(maxAbsDiffFromScaledIdentity(T.matMul(w, w, true, false).arraySync() as number[][], 1)).toBeLessThan(1e-5);
  });

  it('is a random rotation, not a fixed matrix: seeds differ, entries look Gaussian', () => {
    const a = Array.from(I.Orthogonal({ seed: 6 })([100, 100]).dataSync());
    const b = Array.from(I.Orthogonal({ seed: 7 })([100, 100]).dataSync());
    expect(a).not.toEqual(b);
    // Entries of a uniformly random 100×100 rotation are close to N(0, 1/100): mean 0 and
    // kurtosis 3 (a permutation-like matrix would have kurtosis 100).
    const s = sampleStats(a);
    expect(Math.abs(s.mean)).toBeLessThan(s.meanTol);
    const kurtosis = a.reduce((acc, x) => acc + (x - s.mean) ** 4, 0) / a.length / s.variance ** 2;
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.3);
  });

  it('needs at least 2 dimensions', () => {
    expect(() => I.Orthogonal()([5])).toThrow('Orthogonal: the shape must have at least 2 dimensions, got [5]');
  });

  it('config', () => {
    expect(I.Orthogonal().getConfig()).toEqual({ gain: 1, seed: null });
    expect(I.Orthogonal({ gain: 2, seed: 9 }).getConfig()).toEqual({ gain: 2, seed: 9 });
  });
});

describe('Identity', () => {
  it('gain times the identity, rectangular allowed', () => {
    expect(I.Identity()([3, 3]).arraySync()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(I.Identity({ gain: 2 })([2, 3]).arraySync()).toEqual([[2, 0, 0], [0, 2, 0]]);
    expect(I.Identity({ gain: 0.5 })([3, 2]).arraySync()).toEqual([[0.5, 0], [0, 0.5], [0, 0]]);
    expect(I.Identity({ gain: 2 }).getConfig()).toEqual({ gain: 2 });
  });

  it('only 2-D shapes', () => {
    expect(() => I.Identity()([3])).toThrow('Identity: the shape must be 2-D, got [3]');
    expect(() => I.Identity()([2, 2, 2])).toThrow('Identity: the shape must be 2-D, got [2, 2, 2]');
  });
});
