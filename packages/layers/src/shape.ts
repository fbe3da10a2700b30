import type { Shape } from '@neurona/tensor';

// How messages print shapes and values: one copy for every package, in @neurona/common.
export { formatShape, describeValue } from '@neurona/common';
import { describeValue } from '@neurona/common';

/** True when two shapes can describe the same tensor (`null` matches any size). */
export function shapesCompatible(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === null || b[i] === null || d === b[i]);
}

/** Product of the dimensions, or `null` when one is unknown. */
export function sizeOf(dims: Shape): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

/** A non-negative axis for a tensor of `rank` dimensions (`-1` is the last). */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? rank + axis : axis;
}

/** Checks that `value` is an array of positive integers (or null where `allowNull`) and copies it. */
export function checkShape(where: string, what: string, value: unknown, allowNull = false): Shape {
  const ok =
    Array.isArray(value) &&
    value.every((d) => (d === null && allowNull) || (typeof d === 'number' && Number.isInteger(d) && d > 0));
  if (!ok) {
    throw new Error(
      `${where}: ${what} must be an array of positive integers${allowNull ? ' (or null)' : ''}, got ${describeValue(value)}`,
    );
  }
  return [...(value as Shape)];
}
