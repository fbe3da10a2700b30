import { expect } from 'vitest';

/**
 * Runs `fn` and checks that it fails with a message containing every pattern (what was expected
 * and what was found), and no deep kernel stack (`TypeError`, `RangeError`, tfjs internals).
 */
export async function expectError(fn: () => unknown, ...patterns: (RegExp | string)[]): Promise<string> {
  let error: unknown = null;
  try {
    await fn();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected an error').toBeInstanceOf(Error);
  const e = error as Error;
  expect(e).not.toBeInstanceOf(TypeError);
  expect(e).not.toBeInstanceOf(RangeError);
  for (const p of patterns) {
    if (typeof p === 'string') expect(e.message).toContain(p);
    else expect(e.message).toMatch(p);
  }
  return e.message;
}
