import type { Reduction, ReductionName } from './types';

// Configuration checks shared by the loss factories: each throws at construction, naming the
// loss, the option, what was expected and what was found.

/** `x` as text for error messages (`describeValue` of @neurona/common). */
import { checkOptions, describeValue as show } from '@neurona/common';

export { show };

/** The reduction, normalized; Keras's `'sum_over_batch_size'` and `'auto'` are `'mean'`. */
export function checkReduction(lossClass: string, value: unknown): Reduction {
  if (value === undefined || value === 'mean' || value === 'sum_over_batch_size' || value === 'auto') return 'mean';
  if (value === 'sum' || value === 'none') return value;
  throw new Error(
    `${lossClass}: reduction must be one of 'mean', 'sum', 'none' (or Keras's 'sum_over_batch_size'), got ${show(value)}`,
  );
}

/** A number within [lo, hi] (inclusive); NaN and non-numbers are rejected. */
export function checkInRange(lossClass: string, key: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new Error(`${lossClass}: ${key} must be a number in [${lo}, ${hi}], got ${show(value)}`);
  }
  return value;
}

/** A finite number > 0. */
export function checkPositive(lossClass: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${lossClass}: ${key} must be a finite number > 0, got ${show(value)}`);
  }
  return value;
}

/** A boolean. */
export function checkBoolean(lossClass: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${lossClass}: ${key} must be true or false, got ${show(value)}`);
  return value;
}

/** A non-empty string. */
export function checkName(lossClass: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${lossClass}: name must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** Option keys the factory does not know are a typo more often than not: reject them (the one rule of @neurona/common). */
export function checkKeys(lossClass: string, options: object, known: readonly string[]): void {
  checkOptions(lossClass, options, known);
}

export type { ReductionName };
