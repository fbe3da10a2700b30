// Keras's `encode_categorical_inputs`: integer ids to one-hot, multi-hot or count vectors, on the
// device. Ids outside [0, depth) encode as zeros (the lookup layers use -1 for a mask token).
import { cast, max, oneHot, reshape, sum, tensor } from '@neurona/tensor';
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

/**
 * `encodeCategorical` on the host, for ids already there (the lookup and hashing layers): no
 * `[n, depth]` one-hot intermediate (a bag of words of a long text would need gigabytes), and ids
 * outside [0, depth) (a mask's -1) count for nothing. `weights` scales each column (tf_idf).
 */
export function encodeCategoricalHost(ids: Int32Array, shape: number[], mode: Exclude<CategoricalMode, 'int'>, depth: number, weights: Float32Array | null = null): Tensor {
  let s = shape.length === 0 ? [1] : shape;
  if (mode === 'one_hot') {
    if (s.length > 1 && s[s.length - 1] === 1) s = s.slice(0, -1);
    const out = new Float32Array(ids.length * depth);
    for (let i = 0; i < ids.length; i++) if (ids[i] >= 0 && ids[i] < depth) out[i * depth + ids[i]] = weights ? weights[ids[i]] : 1;
    return tensor(out, [...s, depth]);
  }
  if (s.length > 2) throw new Error(`${mode} encoding takes inputs of rank 1 or 2, got rank ${s.length}`);
  const rows = s.length === 1 ? 1 : s[0];
  const per = rows === 0 ? 0 : ids.length / rows;
  const out = new Float32Array(rows * depth);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < per; j++) {
      const id = ids[r * per + j];
      if (id < 0 || id >= depth) continue;
      if (mode === 'multi_hot') out[r * depth + id] = 1;
      else out[r * depth + id] += 1;
    }
  }
  if (weights) for (let r = 0; r < rows; r++) for (let k = 0; k < depth; k++) out[r * depth + k] *= weights[k];
  return tensor(out, s.length === 1 ? [depth] : [rows, depth]);
}
