// Configuration checks for metric factories: each throws at construction with what was expected
// and what was found.

/** A value as an error message shows it (`describeValue` of @neurona/common). */
import { checkOptions, describeValue as show } from '@neurona/common';

export { show };

/** Reject unknown option keys (a typo more often than not): the one rule of @neurona/common. */
export function checkKeys(cls: string, options: unknown, known: readonly string[]): void {
  if (options === null) throw new Error(`${cls}: options must be an object, got null`);
  checkOptions(cls, options, known);
}

/** A non-empty string, or the default. */
export function checkName(cls: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`${cls}: name must be a non-empty string, got ${show(value)}`);
  }
  return value;
}

/** A number in [lo, hi]; NaN rejected. */
export function checkInRange(cls: string, key: string, value: unknown, lo: number, hi: number): number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new Error(`${cls}: ${key} must be a number in [${lo}, ${hi}], got ${show(value)}`);
  }
  return value;
}

/** An integer ≥ min. */
export function checkInt(cls: string, key: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new Error(`${cls}: ${key} must be an integer >= ${min}, got ${show(value)}`);
  }
  return value;
}

/** A finite number. */
export function checkFinite(cls: string, key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${cls}: ${key} must be a finite number, got ${show(value)}`);
  }
  return value;
}
