import * as T from '@neurona/tensor';
import type { Initializer, SeedOption } from './types';
import { defineInitializer, checkKeys, checkSeed, finiteNumber, seedFor } from './define';
import { describeValue } from '@neurona/common';
import { computeFans } from './fans';

export type FanMode = 'fan_in' | 'fan_out' | 'fan_avg';
export type VarianceDistribution = 'truncated_normal' | 'untruncated_normal' | 'uniform';

export interface VarianceScalingOptions extends SeedOption {
  /** Target variance is `scale / n` (default 1, must be > 0). */
  scale?: number;
  /** Which fan `n` is: `'fan_in'` (default), `'fan_out'` or `'fan_avg'`. */
  mode?: FanMode;
  /** `'truncated_normal'` (default), `'untruncated_normal'` or `'uniform'`. */
  distribution?: VarianceDistribution | 'normal';
}

const MODES: readonly FanMode[] = ['fan_in', 'fan_out', 'fan_avg'];
const DISTRIBUTIONS: readonly VarianceDistribution[] = ['truncated_normal', 'untruncated_normal', 'uniform'];

// Standard deviation of a standard normal truncated at ±2: dividing by it makes the truncated
// samples have the intended variance (the constant Keras uses).
const TRUNCATED_STDDEV = 0.87962566103423978;

/**
 * Samples with variance `scale / n`, `n` the fan picked by `mode` (Keras's VarianceScaling):
 * truncated normal with stddev `√(scale/n) / 0.8796…`, untruncated normal with stddev `√(scale/n)`,
 * or uniform in `±√(3·scale/n)`.
 */
export function VarianceScaling(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling('VarianceScaling', options);
}

// The presets share this body under their own class name (their config is just the seed, as Keras).
function varianceScaling(className: string, options: VarianceScalingOptions): Initializer {
  checkKeys(className, options, ['scale', 'mode', 'distribution', 'seed']);
  const scale = finiteNumber(`${className}: scale`, options.scale, 1, 'positive');
  const mode = options.mode ?? 'fan_in';
  if (!MODES.includes(mode)) {
    throw new Error(`${className}: mode must be one of ${MODES.join(', ')}, got ${describeValue(mode)}`);
  }
  // Keras 2 spelled the truncated form 'normal'.
  const distribution = options.distribution === 'normal' ? 'truncated_normal' : (options.distribution ?? 'truncated_normal');
  if (!DISTRIBUTIONS.includes(distribution)) {
    throw new Error(`${className}: distribution must be one of ${DISTRIBUTIONS.join(', ')}, got ${describeValue(distribution)}`);
  }
  const seed = checkSeed(className, options.seed);
  const config =
    className === 'VarianceScaling' ? () => ({ scale, mode, distribution, seed }) : () => ({ seed });
  return defineInitializer(className, config, (shape) => {
    const { fanIn, fanOut } = computeFans(shape);
    const n = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, n);
    const s = seedFor(seed);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return T.randomUniform(shape, -limit, limit, 'float32', s);
    }
    if (distribution === 'untruncated_normal') return T.randomNormal(shape, 0, Math.sqrt(variance), 'float32', s);
    return T.truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, 'float32', s);
  });
}

function preset(className: string, scale: number, mode: FanMode, distribution: VarianceDistribution) {
  return (options: SeedOption = {}): Initializer => {
    checkKeys(className, options, ['seed']);
    return varianceScaling(className, { scale, mode, distribution, seed: options.seed });
  };
}

/** Glorot (Xavier) uniform: uniform in `±√(6 / (fanIn + fanOut))`; the default kernel initializer. */
export const GlorotUniform = preset('GlorotUniform', 1, 'fan_avg', 'uniform');
/** Glorot (Xavier) normal: truncated normal with variance `2 / (fanIn + fanOut)`. */
export const GlorotNormal = preset('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
/** He uniform: uniform in `±√(6 / fanIn)`, for ReLU-family activations. */
export const HeUniform = preset('HeUniform', 2, 'fan_in', 'uniform');
/** He normal: truncated normal with variance `2 / fanIn`, for ReLU-family activations. */
export const HeNormal = preset('HeNormal', 2, 'fan_in', 'truncated_normal');
/** LeCun uniform: uniform in `±√(3 / fanIn)`, for SELU. */
export const LecunUniform = preset('LecunUniform', 1, 'fan_in', 'uniform');
/** LeCun normal: truncated normal with variance `1 / fanIn`, for SELU. */
export const LecunNormal = preset('LecunNormal', 1, 'fan_in', 'truncated_normal');
