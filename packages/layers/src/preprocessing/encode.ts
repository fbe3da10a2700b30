// Keras's `encode_categorical_inputs`: integer ids to one-hot, multi-hot or count vectors, on the
// device. Ids outside [0, depth) encode as zeros (the lookup layers use -1 for a mask token).
import { cast, max, oneHot, reshape, sum } from '@neurona/tensor';
import type { Shape, Tensor } from '@neurona/tensor';

/** The output modes every categorical layer shares (`'int'` leaves the ids as they are). */
export type CategoricalMode = 'int' | 'one_hot' | 'multi_hot' | 'count';

/**
 * Encode int32 ids: `one_hot` adds an axis of `depth` (replacing a last axis of size 1),
 * `multi_hot`/`count` reduce the last axis (rank 1 is one sample, as Keras: `[n]` → `[depth]`).
 */
export function encodeCategorical(ids: Tensor, mode: CategoricalMode, depth: number): Tensor {
  if (mode === 'int') return ids;
  let x = ids.rank === 0 ? reshape(ids, [1]) : ids;
  if (mode === 'one_hot') {
    if (x.rank > 1 && x.shape[x.rank - 1] === 1) x = reshape(x, x.shape.slice(0, -1));
    const flat = reshape(x, [x.size]);
    return reshape(cast(oneHot(flat, depth), 'float32'), [...x.shape, depth]);
  }
  if (x.rank > 2) throw new Error(`${mode} encoding takes inputs of rank 1 or 2, got rank ${x.rank}`);
  const oh = cast(oneHot(reshape(x, [x.size]), depth), 'float32');
  const r = reshape(oh, [...x.shape, depth]);
  const axis = x.rank === 1 ? 0 : 1;
  return mode === 'multi_hot' ? max(r, axis) : sum(r, axis);
}

/** Keras's output shape of an encoding (`null` sizes stay unknown). */
export function encodedShape(inputShape: Shape, mode: CategoricalMode, depth: number | null): Shape {
  if (mode === 'int') return inputShape;
  if (inputShape.length === 0) return [depth];
  if (mode === 'one_hot') {
    if (inputShape.length > 1 && inputShape[inputShape.length - 1] === 1) return [...inputShape.slice(0, -1), depth];
    return [...inputShape, depth];
  }
  if (inputShape.length === 1) return [depth];
  return [...inputShape.slice(0, -1), depth];
}

/** Checks an `outputMode` option against the allowed values. */
export function checkMode<T extends string>(where: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    throw new Error(`${where}: outputMode must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value) ?? String(value)}`);
  }
  return value as T;
}
