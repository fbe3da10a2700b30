// Configuration checks for metric factories: each throws at construction with what was expected
// and what was found.

/** A value as an error message shows it: strings quoted, arrays bracketed. */
export function show(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  return typeof x === 'string' ? JSON.stringify(x) : String(x);
}

/** Reject unknown option keys (a typo more often than not). */
export function checkKeys(cls: string, options: unknown, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') {
    throw new Error(`${cls}: options must be an object, got ${show(options)}`);
  }
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) throw new Error(`${cls}: unknown option "${k}". Known options: ${known.join(', ')}`);
  }
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
