// Stacking elements into a batch: every leaf of the structure becomes one tensor with a leading
// batch dimension. Host leaves (numbers, typed arrays, TensorBuffers, number arrays) are copied
// into one typed array and uploaded once; tensors are stacked with one kernel.
import { stack, tensor, type Tensor } from '@neurona/tensor';
import { childPath, disposeAll, pathLabel } from '../element';
import type { Batched, NestedNumbers, TensorBufferLike, TypedArray } from '../types';
import { mismatch, mismatchText, specOf, type Spec } from './spec';

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

function hostArray(dtype: string, n: number, who: string, path: string): Float32Array | Int32Array | Uint8Array | string[] {
  switch (dtype) {
    case 'float32':
      return new Float32Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'bool':
      return new Uint8Array(n);
    case 'string':
      return Array.from({ length: n }, () => '');
    default:
      throw new Error(`${who}: ${pathLabel(path)} has dtype ${dtype}, which batch cannot copy; expected float32, int32, bool or string`);
  }
}

function copyInto(dst: Float32Array | Int32Array | Uint8Array | string[], src: ArrayLike<number> | ArrayLike<string>, offset: number): void {
  if (Array.isArray(dst)) {
    for (let i = 0; i < src.length; i++) dst[offset + i] = src[i] as string;
  } else if (ArrayBuffer.isView(src)) {
    (dst as Float32Array).set(src as Float32Array, offset);
  } else {
    for (let i = 0; i < src.length; i++) dst[offset + i] = src[i] as number;
  }
}

/** Copy nested number arrays of the expected `shape` into `out` from `offset`; returns the next offset. */
function fillNumbers(v: unknown, shape: readonly number[], depth: number, out: Float32Array, offset: number, who: string, path: string): number {
  if (depth === shape.length) {
    if (typeof v !== 'number') throw new Error(`${who}: ${pathLabel(path)} should be a number, found ${v === null ? 'null' : typeof v}`);
    out[offset] = v;
    return offset + 1;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    throw new Error(
      `${who}: ${pathLabel(path)} should be an array of ${shape[depth]} (the arrays of numbers must be rectangular), found ${Array.isArray(v) ? `an array of ${v.length}` : typeof v}`,
    );
  }
  let o = offset;
  for (let i = 0; i < v.length; i++) o = fillNumbers(v[i] as NestedNumbers, shape, depth + 1, out, o, who, childPath(path, i));
  return o;
}

function stackLeaf(spec: Spec, values: unknown[], who: string, path: string): Tensor {
  const b = values.length;
  switch (spec.kind) {
    case 'tensor':
      return stack(values as Tensor[]);
    case 'buffer': {
      const size = prod(spec.shape);
      const out = hostArray(spec.dtype, b * size, who, path);
      for (let i = 0; i < b; i++) copyInto(out, (values[i] as TensorBufferLike).values, i * size);
      return tensor(out as Float32Array, [b, ...spec.shape], spec.dtype);
    }
    case 'typed': {
      const out = spec.dtype === 'float32' ? new Float32Array(b * spec.length) : new Int32Array(b * spec.length);
      for (let i = 0; i < b; i++) out.set(values[i] as TypedArray, i * spec.length);
      return tensor(out, [b, spec.length], spec.dtype);
    }
    case 'number':
      return tensor(Float32Array.from(values as number[]), [b], 'float32');
    case 'boolean':
      return tensor(values as boolean[], [b], 'bool');
    case 'string':
      return tensor(values as string[], [b], 'string');
    case 'numbers': {
      const size = prod(spec.shape);
      const out = new Float32Array(b * size);
      for (let i = 0; i < b; i++) fillNumbers(values[i], spec.shape, 0, out, i * size, `${who} (element ${i} of the batch)`, path);
      return tensor(out, [b, ...spec.shape], 'float32');
    }
    default:
      throw new Error(`${who}: internal error, ${spec.kind} is not a leaf`);
  }
}

/**
 * Stack `elements`, which all match `spec`, into one batch. Tensors made before a failure are
 * released; the elements themselves are left to the caller.
 */
export function collate(elements: readonly unknown[], spec: Spec, who: string, path = ''): unknown {
  if (spec.kind === 'tuple') {
    const out: unknown[] = [];
    try {
      for (let i = 0; i < spec.items.length; i++) out.push(collate(elements.map((e) => (e as unknown[])[i]), spec.items[i], who, childPath(path, i)));
    } catch (err) {
      disposeAll(out);
      throw err;
    }
    return out;
  }
  if (spec.kind === 'dict') {
    const out: Record<string, unknown> = {};
    try {
      for (const k of spec.keys) out[k] = collate(elements.map((e) => (e as Record<string, unknown>)[k]), spec.items[k], who, childPath(path, k));
    } catch (err) {
      disposeAll(Object.values(out));
      throw err;
    }
    return out;
  }
  return stackLeaf(spec, elements as unknown[], who, path);
}

/**
 * Stack elements of the same structure into one batch, as `batch` does: every leaf (tensor,
 * TensorBuffer, typed array, number, boolean, string, array of numbers) becomes one tensor with a
 * leading dimension of `elements.length`; tuples and dicts keep their structure. The elements are
 * left alone (dispose their tensors yourself); the batch's tensors are new.
 *
 * ```ts
 * stackElements([{ x: [1, 2], y: 0 }, { x: [3, 4], y: 1 }]); // { x: Tensor [2, 2], y: Tensor [2] }
 * ```
 */
export function stackElements<const T>(elements: readonly T[]): Batched<T> {
  const who = 'stackElements';
  if (elements.length === 0) throw new Error(`${who}: expected at least one element, got an empty list`);
  const spec = specOf(elements[0], who);
  for (let i = 1; i < elements.length; i++) {
    const m = mismatch(spec, elements[i]);
    if (m) throw new Error(`${who}: element ${i}: ${mismatchText(m)} (as element 0)`);
  }
  return collate(elements, spec, who) as Batched<T>;
}
