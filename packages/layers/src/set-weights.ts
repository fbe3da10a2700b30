// Assigning weight values (`setWeights` of layers and models, and loading): every value is
// checked before any variable changes, so a failed call leaves the weights as they were.
import { cast, dispose, isTensor, tensor, tidy } from '@neurona/tensor';
import type { Tensor, TensorLike, Variable } from '@neurona/tensor';
import { describeData, formatShape } from '@neurona/common';

/** Options of `setWeights`. */
export interface SetWeightsOptions {
  /**
   * Accept NaN and ±Infinity values. Default false: a weight holding one is refused, naming it,
   * since a model with one predicts NaN everywhere.
   */
  allowNonFinite?: boolean;
}

/** A weight value: a tensor, or numbers (nested arrays, a typed array) in the weight's shape. */
export type WeightValue = Tensor | TensorLike;

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The first NaN or ±Infinity in `values` and its index, or null. */
export function firstNonFinite(values: ArrayLike<number>): { index: number; value: number } | null {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return { index: i, value: values[i] };
  return null;
}

/**
 * Throw when float tensor `t` holds NaN or ±Infinity: `${who}: ${what} holds NaN at flat index 3;
 * ...`. Loading and `setWeights` call it unless `allowNonFinite` is set.
 */
export function assertFinite(who: string, what: string, t: Tensor): void {
  if (t.dtype !== 'float32') return;
  const bad = firstNonFinite(t.dataSync() as Float32Array);
  if (bad) {
    throw new Error(`${who}: ${what} holds ${bad.value} at flat index ${bad.index}; a model with it predicts NaN. Pass { allowNonFinite: true } to accept it`);
  }
}

function label(i: number, v: Variable): string {
  return `weight ${i} ("${v.name}")`;
}

/**
 * Check `values` against `vars` (count, kind, liveness, shape, finiteness) and assign them, all
 * or nothing. `who` starts every message (`setWeights: Dense "dense"`).
 */
export function assignWeights(who: string, vars: readonly Variable[], values: readonly WeightValue[], options: SetWeightsOptions = {}): void {
  if (!Array.isArray(values)) throw new Error(`${who} expects an array of ${vars.length} weight values, got ${describeData(values)}`);
  if (values.length !== vars.length) throw new Error(`${who} has ${vars.length} weights, got ${values.length} values`);
  const made: Tensor[] = [];
  try {
    const tensors = values.map((t, i) => {
      const v = vars[i];
      if (isTensor(t)) {
        if (t.isDisposed) throw new Error(`${who}: the value for ${label(i, v)} is a disposed tensor; pass live tensors (getWeights() returns fresh copies)`);
        return t;
      }
      if (t === null || typeof t !== 'object') throw new Error(`${who}: the value for ${label(i, v)} should be a tensor or an array of numbers, got ${describeData(t)}`);
      let made1: Tensor;
      try {
        made1 = tensor(t as TensorLike, undefined, v.dtype);
      } catch (e) {
        throw new Error(`${who}: the value for ${label(i, v)} is not a valid array of numbers: ${(e as Error).message}`);
      }
      made.push(made1);
      // a flat typed array of the right length is reshaped to the weight (Keras's flat buffers)
      if (made1.rank !== 1 || made1.size !== count(v.shape) || v.shape.length === 1) return made1;
      const shaped = made1.reshape(v.shape);
      made.push(shaped);
      return shaped;
    });
    tensors.forEach((t, i) => {
      const v = vars[i];
      if (!sameShape(t.shape, v.shape)) throw new Error(`${who}: ${label(i, v)} has shape ${formatShape(v.shape)}, got ${formatShape(t.shape)}`);
      if (t.dtype === 'string') throw new Error(`${who}: ${label(i, v)} is ${v.dtype}, got a string tensor`);
    });
    if (!options.allowNonFinite) tensors.forEach((t, i) => assertFinite(who, label(i, vars[i]), t));
    tidy(() => vars.forEach((v, i) => v.assign(tensors[i].dtype === v.dtype ? tensors[i] : cast(tensors[i], v.dtype))));
  } finally {
    dispose(made); // only the tensors made here: the caller's own values stay theirs
  }
}
