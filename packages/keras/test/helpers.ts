import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The bytes of a fixture file. */
export function fixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(join(import.meta.dirname, 'fixtures', ...parts)));
}

/** A fixture's absolute path. */
export function fixturePath(...parts: string[]): string {
  return join(import.meta.dirname, 'fixtures', ...parts);
}

/** Largest absolute difference of two equally long lists. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
