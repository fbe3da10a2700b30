import { checkOptions, describeValue } from '@neurona/common';
import { nextSeed } from '@neurona/tensor';
import type { Tensor, DataType } from '@neurona/tensor';
import type { Initializer, InitializerConfig } from './types';

/** Build the callable: checks shape and dtype, then calls `make`. */
export function defineInitializer(
  className: string,
  getConfig: () => InitializerConfig,
  make: (shape: number[], dtype: DataType) => Tensor,
  dtypes: readonly DataType[] = ['float32'],
): Initializer {
  const init = (shape: number[], dtype: DataType = 'float32'): Tensor => {
    checkShape(className, shape);
    if (!dtypes.includes(dtype)) {
      throw new Error(`${className}: dtype must be one of ${dtypes.join(', ')}, got ${describeValue(dtype)}`);
    }
    return make(shape, dtype);
  };
  return Object.assign(init, { className, getConfig });
}

/** Throws unless `shape` is an array of non-negative integers. */
export function checkShape(className: string, shape: unknown): asserts shape is number[] {
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new Error(`${className}: shape must be an array of non-negative integers, got ${describeValue(shape)}`);
  }
}

/** Throws on keys the initializer does not take (a typo would otherwise be silently ignored). */
export function checkKeys(className: string, options: object | undefined, allowed: readonly string[]): void {
  checkOptions(className, options ?? undefined, allowed);
}

/** A finite number (with a default), optionally required to be > 0 or >= 0. */
export function finiteNumber(
  what: string,
  value: unknown,
  fallback: number,
  bound: 'any' | 'positive' | 'nonNegative' = 'any',
): number {
  const v = value === undefined ? fallback : value;
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (bound === 'any' || (bound === 'positive' ? v > 0 : v >= 0));
  if (!ok) {
    const need = bound === 'positive' ? ' > 0' : bound === 'nonNegative' ? ' >= 0' : '';
    throw new Error(`${what} must be a finite number${need}, got ${describeValue(v)}`);
  }
  return v as number;
}

/** A seed: an integer, or null/undefined for "use the global sequence on each call". */
export function checkSeed(className: string, seed: unknown): number | null {
  if (seed === undefined || seed === null) return null;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(`${className}: seed must be an integer or null, got ${describeValue(seed)}`);
  }
  return seed;
}

// A fixed seed gives the same values on every call (as Keras 3); without one each call draws a
// fresh seed from the global sequence, so setSeed(n) reproduces a whole model's initial weights.
export function seedFor(seed: number | null): number {
  return seed ?? nextSeed();
}

