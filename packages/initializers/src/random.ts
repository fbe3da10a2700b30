import * as T from '@neurona/tensor';
import type { Initializer, SeedOption } from './types';
import { defineInitializer, checkKeys, checkSeed, finiteNumber, seedFor } from './define';

export interface RandomNormalOptions extends SeedOption {
  /** Default 0. */
  mean?: number;
  /** Default 0.05, as Keras. */
  stddev?: number;
}

/** Normal samples with `mean` and `stddev` (Keras defaults 0 and 0.05). */
export function RandomNormal(options: RandomNormalOptions = {}): Initializer {
  checkKeys('RandomNormal', options, ['mean', 'stddev', 'seed']);
  const mean = finiteNumber('RandomNormal: mean', options.mean, 0);
  const stddev = finiteNumber('RandomNormal: stddev', options.stddev, 0.05, 'positive');
  const seed = checkSeed('RandomNormal', options.seed);
  return defineInitializer('RandomNormal', () => ({ mean, stddev, seed }), (shape) =>
    T.randomNormal(shape, mean, stddev, 'float32', seedFor(seed)),
  );
}

export interface TruncatedNormalOptions extends SeedOption {
  /** Default 0. */
  mean?: number;
  /** Default 0.05, as Keras; this is the stddev before truncation. */
  stddev?: number;
}

/** Normal samples redrawn until within 2 stddev of the mean (Keras defaults 0 and 0.05). */
export function TruncatedNormal(options: TruncatedNormalOptions = {}): Initializer {
  checkKeys('TruncatedNormal', options, ['mean', 'stddev', 'seed']);
  const mean = finiteNumber('TruncatedNormal: mean', options.mean, 0);
  const stddev = finiteNumber('TruncatedNormal: stddev', options.stddev, 0.05, 'positive');
  const seed = checkSeed('TruncatedNormal', options.seed);
  return defineInitializer('TruncatedNormal', () => ({ mean, stddev, seed }), (shape) =>
    T.truncatedNormal(shape, mean, stddev, 'float32', seedFor(seed)),
  );
}

export interface RandomUniformOptions extends SeedOption {
  /** Lower bound, default −0.05 as Keras. */
  minval?: number;
  /** Upper bound (excluded), default 0.05 as Keras. */
  maxval?: number;
}

/** Uniform samples in `[minval, maxval)` (Keras defaults −0.05 and 0.05). */
export function RandomUniform(options: RandomUniformOptions = {}): Initializer {
  checkKeys('RandomUniform', options, ['minval', 'maxval', 'seed']);
  const minval = finiteNumber('RandomUniform: minval', options.minval, -0.05);
  const maxval = finiteNumber('RandomUniform: maxval', options.maxval, 0.05);
  if (!(minval < maxval)) {
    throw new Error(`RandomUniform: minval must be less than maxval, got minval=${minval}, maxval=${maxval}`);
  }
  const seed = checkSeed('RandomUniform', options.seed);
  return defineInitializer('RandomUniform', () => ({ minval, maxval, seed }), (shape) =>
    T.randomUniform(shape, minval, maxval, 'float32', seedFor(seed)),
  );
}
