import { describe, expect, it } from 'vitest';
import * as T from '@neurona/tensor';
import * as I from '../src/index';
import type { Initializer } from '../src/index';
import { sampleStats } from './stats';

// Every random initializer: the sample mean and variance lie within 5 standard errors of the
// values the definition promises (the standard errors come from the sample size).
function expectMoments(init: Initializer, shape: number[], mean: number, variance: number): ReturnType<typeof sampleStats> {
  const t = init(shape);
  expect(t.shape).toEqual(shape);
  expect(t.dtype).toBe('float32');
  const s = sampleStats(t.dataSync());
  t.dispose();
  expect(Math.abs(s.mean - mean), `${init.className} mean ${s.mean} vs ${mean} (±${s.meanTol})`).toBeLessThanOrEqual(s.meanTol);
  expect(Math.abs(s.variance - variance), `${init.className} variance ${s.variance} vs ${variance} (±${s.varianceTol})`).toBeLessThanOrEqual(s.varianceTol);
  return s;
}

// Variance of a standard normal truncated at ±2 (the constant Keras corrects by is its square root).
const TRUNC_VAR = 0.87962566103423978 ** 2;

describe('plain distributions', () => {
  it('RandomNormal: mean and stddev as given, Keras defaults 0 and 0.05', () => {
    expectMoments(I.RandomNormal({ mean: 0.3, stddev: 2, seed: 1 }), [400, 250], 0.3, 4);
    expectMoments(I.RandomNormal({ seed: 2 }), [400, 250], 0, 0.05 ** 2);
    expect(I.RandomNormal().getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
  });

  it('RandomUniform: in [minval, maxval), Keras defaults ±0.05', () => {
    const s = expectMoments(I.RandomUniform({ minval: -1, maxval: 3, seed: 3 }), [400, 250], 1, 16 / 12);
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(3);
    const d = expectMoments(I.RandomUniform({ seed: 4 }), [100_000], 0, 0.1 ** 2 / 12);
    expect(d.min).toBeGreaterThanOrEqual(-0.05);
    expect(d.max).toBeLessThan(0.05);
    expect(I.RandomUniform().getConfig()).toEqual({ minval: -0.05, maxval: 0.05, seed: null });
  });

  it('TruncatedNormal: cut at 2 stddev, so variance 0.7737·stddev²', () => {
    const s = expectMoments(I.TruncatedNormal({ mean: -1, stddev: 0.5, seed: 5 }), [400, 250], -1, 0.25 * TRUNC_VAR);
    expect(s.min).toBeGreaterThanOrEqual(-1 - 2 * 0.5 - 1e-6);
    expect(s.max).toBeLessThanOrEqual(-1 + 2 * 0.5 + 1e-6);
    // the cut is at 2 stddev, not tighter: values come close to it
    expect(s.max).toBeGreaterThan(-1 + 1.95 * 0.5);
    expect(I.TruncatedNormal().getConfig()).toEqual({ mean: 0, stddev: 0.05, seed: null });
  });
});

describe('variance scaling and its presets (Keras definitions)', () => {
  const dense = [400, 300]; // fanIn 400, fanOut 300
  const conv = [3, 3, 32, 64]; // fanIn 288, fanOut 576

  const presets: [string, (o?: { seed?: number }) => Initializer, number, 'fan_in' | 'fan_avg', 'uniform' | 'truncated'][] = [
    ['GlorotUniform', I.GlorotUniform, 1, 'fan_avg', 'uniform'],
    ['GlorotNormal', I.GlorotNormal, 1, 'fan_avg', 'truncated'],
    ['HeUniform', I.HeUniform, 2, 'fan_in', 'uniform'],
    ['HeNormal', I.HeNormal, 2, 'fan_in', 'truncated'],
    ['LecunUniform', I.LecunUniform, 1, 'fan_in', 'uniform'],
    ['LecunNormal', I.LecunNormal, 1, 'fan_in', 'truncated'],
  ];
  for (const [name, factory, scale, mode, dist] of presets) {
    it(`${name}: variance ${scale}/${mode === 'fan_in' ? 'fanIn' : '((fanIn + fanOut)/2)'}, ${dist}`, () => {
      for (const [k, shape] of [dense, conv].entries()) {
        const { fanIn, fanOut } = I.computeFans(shape);
        const n = mode === 'fan_in' ? fanIn : (fanIn + fanOut) / 2;
        const variance = scale / n;
        const init = factory({ seed: 10 + k });
        expect(init.className).toBe(name);
        expect(init.getConfig()).toEqual({ seed: 10 + k });
        const s = expectMoments(init, shape, 0, variance);
        const bound = dist === 'uniform' ? Math.sqrt(3 * variance) : (2 * Math.sqrt(variance)) / 0.87962566103423978;
        expect(Math.max(-s.min, s.max)).toBeLessThanOrEqual(bound * (1 + 1e-6));
        expect(Math.max(-s.min, s.max)).toBeGreaterThan(bound * 0.97);
      }
    });
  }

  it('GlorotUniform is uniform in ±√(6 / (fanIn + fanOut))', () => {
    const s = sampleStats(I.GlorotUniform({ seed: 1 })([784, 128]).dataSync());
    const limit = Math.sqrt(6 / (784 + 128));
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.max).toBeGreaterThan(limit * 0.999);
  });

  it('VarianceScaling: every mode and distribution', () => {
    const shape = [200, 500]; // fanIn 200, fanOut 500
    const fans = { fan_in: 200, fan_out: 500, fan_avg: 350 } as const;
    let seed = 100;
    for (const mode of ['fan_in', 'fan_out', 'fan_avg'] as const) {
      for (const distribution of ['truncated_normal', 'untruncated_normal', 'uniform'] as const) {
        const init = I.VarianceScaling({ scale: 3, mode, distribution, seed: seed++ });
        expect(init.getConfig()).toEqual({ scale: 3, mode, distribution, seed: seed - 1 });
        expectMoments(init, shape, 0, 3 / fans[mode]);
      }
    }
    expect(I.VarianceScaling().getConfig()).toEqual({ scale: 1, mode: 'fan_in', distribution: 'truncated_normal', seed: null });
    // Keras 2 spelled the truncated normal 'normal'
    expect(I.VarianceScaling({ distribution: 'normal' }).getConfig().distribution).toBe('truncated_normal');
  });

  it('a fan of 0 counts as 1, as Keras (max(1, fan))', () => {
    const t = I.VarianceScaling({ distribution: 'uniform', seed: 1 })([0, 5]);
    expect(t.shape).toEqual([0, 5]);
    const s = sampleStats(I.VarianceScaling({ distribution: 'uniform', seed: 1 })([]).dataSync());
    expect(Math.abs(s.max)).toBeLessThanOrEqual(Math.sqrt(3));
  });
});

describe('constants', () => {
  it('Zeros, Ones, Constant', () => {
    expect(I.Zeros()([2, 3]).arraySync()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(I.Ones()([3]).arraySync()).toEqual([1, 1, 1]);
    expect(I.Constant({ value: 0.25 })([2]).arraySync()).toEqual([0.25, 0.25]);
    expect(I.Constant(-2)([1, 2]).arraySync()).toEqual([[-2, -2]]);
    expect(I.Constant()([1]).arraySync()).toEqual([0]);
    expect(I.Constant({ value: 0.25 }).getConfig()).toEqual({ value: 0.25 });
    expect(I.Zeros().getConfig()).toEqual({});
  });

  it('take int32 as well', () => {
    const t = I.Ones()([2], 'int32');
    expect(t.dtype).toBe('int32');
    expect(I.Constant(3)([2], 'int32').arraySync()).toEqual([3, 3]);
  });
});

describe('memory', () => {
  it('each initializer leaves exactly its output alive', () => {
    for (const [name, factory] of I.registry) {
      const init = factory({});
      const before = T.memory().numTensors;
      const t = init([4, 4]);
      expect(T.memory().numTensors - before, name).toBe(1);
      t.dispose();
    }
  });
});
