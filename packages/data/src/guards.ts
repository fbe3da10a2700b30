// Recognising the kinds of values an element can hold. Tensors: `isTensor` of @neurona/tensor
// (neurona runs on one tfjs-core instance, so one Tensor class).
import { isTensor } from '@neurona/tensor';
import type { TensorBufferLike, TypedArray } from './types';

export { isTensor };

/** True for a tfjs `TensorBuffer` (or any object with its shape, dtype, values and toTensor). */
export function isTensorBuffer(x: unknown): x is TensorBufferLike {
  if (typeof x !== 'object' || x === null || isTensor(x)) return false;
  const b = x as Partial<TensorBufferLike>;
  return Array.isArray(b.shape) && typeof b.dtype === 'string' && typeof b.toTensor === 'function' && b.values !== undefined;
}

/** True for the typed arrays an element may hold (not DataView, not BigInt arrays). */
export function isTypedArray(x: unknown): x is TypedArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/** A plain `{ ... }` object: the dict structure of an element. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * True for an array of numbers or of such arrays (a numeric leaf): every item of each level is
 * a number, or every item an array, looking down the first items. `fill` in batching checks the
 * rest when it copies the values.
 */
export function isNumberArray(x: unknown): boolean {
  if (!Array.isArray(x)) return false;
  let level: unknown[] = x;
  for (;;) {
    if (level.length === 0) return true;
    if (level.every((v) => typeof v === 'number')) return true;
    if (!level.every((v) => Array.isArray(v))) return false;
    level = level[0] as unknown[];
  }
}

/** True for a promise or any other thenable. */
export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as PromiseLike<unknown>).then === 'function';
}

/** True for a function declared `async` (its tensors cannot be tracked by `tidy`). */
export function isAsyncFunction(f: unknown): boolean {
  return Object.prototype.toString.call(f) === '[object AsyncFunction]';
}
