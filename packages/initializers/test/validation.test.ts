import { describe, expect, it } from 'vitest';
import * as I from '../src/index';

// Invalid configuration throws at construction, saying what was expected and what was found.
describe('invalid configuration', () => {
  it('stddev must be finite and > 0; mean finite', () => {
    expect(() => I.RandomNormal({ stddev: -1 })).toThrow('RandomNormal: stddev must be a finite number > 0, got -1');
    expect(() => I.RandomNormal({ stddev: 0 })).toThrow('RandomNormal: stddev must be a finite number > 0, got 0');
    expect(() => I.TruncatedNormal({ stddev: Number.NaN })).toThrow('TruncatedNormal: stddev must be a finite number > 0, got NaN');
    expect(() => I.RandomNormal({ mean: Infinity })).toThrow('RandomNormal: mean must be a finite number, got Infinity');
  });

  it('uniform bounds must be finite and ordered', () => {
    expect(() => I.RandomUniform({ minval: 1, maxval: 1 })).toThrow('RandomUniform: minval must be less than maxval, got minval=1, maxval=1');
    expect(() => I.RandomUniform({ minval: Number.NaN })).toThrow('RandomUniform: minval must be a finite number, got NaN');
  });

  it('gain must be finite and > 0', () => {
    expect(() => I.Orthogonal({ gain: 0 })).toThrow('Orthogonal: gain must be a finite number > 0, got 0');
    expect(() => I.Identity({ gain: -2 })).toThrow('Identity: gain must be a finite number > 0, got -2');
  });

  it('variance scaling: scale > 0, known mode and distribution', () => {
    expect(() => I.VarianceScaling({ scale: 0 })).toThrow('VarianceScaling: scale must be a finite number > 0, got 0');
    expect(() => I.VarianceScaling({ mode: 'fan_sum' as 'fan_in' })).toThrow(
      'VarianceScaling: mode must be one of fan_in, fan_out, fan_avg, got "fan_sum"',
    );
    expect(() => I.VarianceScaling({ distribution: 'cauchy' as 'uniform' })).toThrow(
      'VarianceScaling: distribution must be one of truncated_normal, untruncated_normal, uniform, got "cauchy"',
    );
  });

  it('seed must be an integer or null', () => {
    expect(() => I.GlorotUniform({ seed: 1.5 })).toThrow('GlorotUniform: seed must be an integer or null, got 1.5');
    expect(() => I.RandomNormal({ seed: Number.NaN })).toThrow('RandomNormal: seed must be an integer or null, got NaN');
    expect(I.HeNormal({ seed: null }).getConfig()).toEqual({ seed: null });
  });

  it('constant value must be finite; options without extra keys', () => {
    expect(() => I.Constant({ value: Number.NaN })).toThrow('Constant: value must be a finite number, got NaN');
    expect(() => I.Zeros({ value: 1 } as unknown as Record<string, never>)).toThrow('Zeros: unknown option "value". It takes no options');
  });
});

describe('invalid calls', () => {
  it('shape must be non-negative integers', () => {
    expect(() => I.GlorotUniform()([2, -1])).toThrow('GlorotUniform: shape must be an array of non-negative integers, got [2, -1]');
    expect(() => I.Zeros()([2.5])).toThrow('Zeros: shape must be an array of non-negative integers, got [2.5]');
  });

  it('random initializers make float32 only', () => {
    expect(() => I.GlorotUniform()([2, 2], 'int32')).toThrow('GlorotUniform: dtype must be one of float32, got "int32"');
  });
});
