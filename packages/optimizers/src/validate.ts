// Construction-time checks, exported as `optionChecks` for contributed optimizers. Each message
// names the owner, the option, what was expected and what was found:
// `SGD: momentum must be a number in [0, 1), got 1.5`.
import { checkOptions, describeValue } from '@neurona/common';

/** Throw `<who>: <what> must be <expected>, got <found>`. */
export function fail(who: string, what: string, expected: string, found: unknown): never {
  throw new Error(`${who}: ${what} must be ${expected}, got ${describeValue(found)}`);
}

/** A finite number >= 0. */
export function nonNegative(who: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(who, what, 'a finite number >= 0', v);
  return v;
}

/** A finite number > 0. */
export function positive(who: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(who, what, 'a finite number > 0', v);
  return v;
}

/** A number in [0, 1). */
export function unitInterval(who: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) fail(who, what, 'a number in [0, 1)', v);
  return v;
}

/** An integer >= min. */
export function integer(who: string, what: string, v: unknown, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(who, what, `an integer >= ${min}`, v);
  return v;
}

/** true or false. */
export function boolean(who: string, what: string, v: unknown): boolean {
  if (typeof v !== 'boolean') fail(who, what, 'true or false', v);
  return v;
}

/** `null`/`undefined` → null, else a finite number > 0. */
export function optionalPositive(who: string, what: string, v: unknown): number | null {
  return v === undefined || v === null ? null : positive(who, what, v);
}

/** Reject option names the factory does not know (catches typos such as `momentun`). */
export function knownKeys(who: string, options: object, known: readonly string[]): void {
  checkOptions(who, options, known);
}
