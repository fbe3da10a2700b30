import { describeData } from '@neurona/common';
// The structure and leaf shapes of an element (tf.data's element_spec), computed from the first
// element of a pass: `batch` checks every later element against it, so a generator that yields
// the wrong shape or type mid-stream is named with its position.
import type { DataType } from '@neurona/tensor';
import { childPath, numberArrayShape, pathLabel } from '../element';
import { isNumberArray, isPlainObject, isTensor, isTensorBuffer, isTypedArray } from '../guards';
import type { TypedArray } from '../types';

/** The spec of one element: its structure and, for each leaf, its kind, dtype and shape. */
export type Spec =
  | { kind: 'tensor'; dtype: DataType; shape: number[] }
  | { kind: 'buffer'; dtype: DataType; shape: number[] }
  | { kind: 'typed'; dtype: 'float32' | 'int32'; length: number }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'string' }
  | { kind: 'numbers'; shape: number[] }
  | { kind: 'tuple'; items: Spec[] }
  | { kind: 'dict'; keys: string[]; items: Record<string, Spec> };

/** A part of an element that does not match the spec. */
export interface Mismatch {
  path: string;
  expected: string;
  found: string;
}

/** The dtype `batch` gives a typed array's rows: float32 for float arrays, int32 for integer ones. */
export function typedDtype(a: TypedArray): 'float32' | 'int32' {
  return a instanceof Float32Array || a instanceof Float64Array ? 'float32' : 'int32';
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** How a spec reads in an error message: `a float32 tensor [784]`. */
export function describeSpec(spec: Spec): string {
  switch (spec.kind) {
    case 'tensor':
      return `a ${spec.dtype} tensor ${shapeText(spec.shape)}`;
    case 'buffer':
      return `a ${spec.dtype} TensorBuffer ${shapeText(spec.shape)}`;
    case 'typed':
      return `a ${spec.dtype === 'float32' ? 'float' : 'integer'} typed array of ${spec.length}`;
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'string':
      return 'a string';
    case 'numbers':
      return `an array of numbers ${shapeText(spec.shape)}`;
    case 'tuple':
      return `a tuple of ${spec.items.length}`;
    case 'dict':
      return `an object with keys {${spec.keys.join(', ')}}`;
  }
}

/**
 * The spec of `value`; throws (naming `who` and the path) for what cannot be batched: null,
 * undefined, functions, class instances, disposed tensors, BigInt arrays.
 */
export function specOf(value: unknown, who: string, path = ''): Spec {
  if (isTensor(value)) {
    if (value.isDisposed) throw new Error(`${who}: ${pathLabel(path)} is a disposed tensor [${value.shape.join(', ')}]; a dataset must yield live tensors that it does not use again`);
    return { kind: 'tensor', dtype: value.dtype, shape: [...value.shape] };
  }
  if (isTensorBuffer(value)) return { kind: 'buffer', dtype: value.dtype, shape: [...value.shape] };
  if (isTypedArray(value)) return { kind: 'typed', dtype: typedDtype(value), length: value.length };
  if (typeof value === 'number') return { kind: 'number' };
  if (typeof value === 'boolean') return { kind: 'boolean' };
  if (typeof value === 'string') return { kind: 'string' };
  if (Array.isArray(value)) {
    if (isNumberArray(value)) return { kind: 'numbers', shape: numberArrayShape(value) };
    return { kind: 'tuple', items: value.map((v, i) => specOf(v, who, childPath(path, i))) };
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    const items: Record<string, Spec> = {};
    for (const k of keys) items[k] = specOf(value[k], who, childPath(path, k));
    return { kind: 'dict', keys, items };
  }
  throw new Error(
    `${who}: ${pathLabel(path)} is ${describeData(value)}; expected a tensor, TensorBuffer, typed array, number, boolean, string, ` +
      'array of numbers, or a tuple / object of those',
  );
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** The first part of `value` that does not match `spec`, or null when it matches. */
export function mismatch(spec: Spec, value: unknown, path = ''): Mismatch | null {
  const bad = (): Mismatch => ({ path, expected: describeSpec(spec), found: describeData(value) });
  switch (spec.kind) {
    case 'tensor':
      return isTensor(value) && !value.isDisposed && value.dtype === spec.dtype && sameShape(value.shape, spec.shape) ? null : bad();
    case 'buffer':
      return isTensorBuffer(value) && value.dtype === spec.dtype && sameShape(value.shape, spec.shape) ? null : bad();
    case 'typed':
      return isTypedArray(value) && typedDtype(value) === spec.dtype && value.length === spec.length ? null : bad();
    case 'number':
      return typeof value === 'number' ? null : bad();
    case 'boolean':
      return typeof value === 'boolean' ? null : bad();
    case 'string':
      return typeof value === 'string' ? null : bad();
    case 'numbers':
      return Array.isArray(value) && isNumberArray(value) && sameShape(numberArrayShape(value), spec.shape) ? null : bad();
    case 'tuple': {
      if (!Array.isArray(value) || isNumberArray(value) || value.length !== spec.items.length) return bad();
      for (let i = 0; i < spec.items.length; i++) {
        const m = mismatch(spec.items[i], value[i], childPath(path, i));
        if (m) return m;
      }
      return null;
    }
    case 'dict': {
      if (!isPlainObject(value)) return bad();
      const keys = Object.keys(value);
      if (keys.length !== spec.keys.length || !spec.keys.every((k) => k in value)) return bad();
      for (const k of spec.keys) {
        const m = mismatch(spec.items[k], value[k], childPath(path, k));
        if (m) return m;
      }
      return null;
    }
  }
}

/** `mismatch` as a sentence: `x is a Float32Array of 783; expected a float typed array of 784`. */
export function mismatchText(m: Mismatch): string {
  return `${pathLabel(m.path)} is ${m.found}; expected ${m.expected}`;
}
