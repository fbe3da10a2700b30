// The element types of a dataset and how `batch` / `unbatch` change them, at the type level.
import type { DataType, Tensor } from '@neurona/tensor';

/** A dataset's number of elements: a count, `'unknown'` (a stream) or `'infinite'` (`repeat()`). */
export type Cardinality = number | 'unknown' | 'infinite';

/** Typed arrays an element may hold; `batch` stacks them as rows (float32 or int32). */
export type TypedArray =
  | Float32Array
  | Float64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array;

/** Numbers in (nested) arrays, as a Python list in tf.data: `3`, `[1, 2]`, `[[1, 2], [3, 4]]`. */
export type NestedNumbers = number | readonly NestedNumbers[];

/**
 * A tensor in host memory: tfjs's `TensorBuffer`, made with `buffer(shape, dtype, values)` of
 * `@neurona/tensor`. The cheap way for a streaming source to give an N-dimensional sample: `batch`
 * copies their values into one tensor, with no tensor per sample.
 */
export interface TensorBufferLike {
  readonly shape: readonly number[];
  readonly dtype: DataType;
  readonly values: ArrayLike<number> | ArrayLike<string>;
  toTensor(): Tensor;
}

/**
 * What `batch` turns into one tensor: a tensor, a `TensorBufferLike`, a typed array, a number, a
 * boolean, a string, or an array of numbers (nested, rectangular). Any other array is a tuple.
 */
export type Leaf = Tensor | TensorBufferLike | TypedArray | number | boolean | string | readonly NestedNumbers[];

/** A dataset element `batch` understands: a leaf, a tuple of elements or a dict of elements. */
export type Element = Leaf | readonly Element[] | { readonly [key: string]: Element };

/**
 * The type of a batch of `T`s: every leaf becomes one tensor with a leading batch dimension;
 * tuples and dicts keep their structure. `Batched<{ x: Float32Array; y: number }>` is
 * `{ x: Tensor; y: Tensor }`.
 */
export type Batched<T> = T extends Tensor | TensorBufferLike | TypedArray | number | boolean | string
  ? Tensor
  : T extends readonly NestedNumbers[]
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Batched<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Batched<T[K]> }
        : never;

/**
 * The type of one row of a batch `T` (what `unbatch` yields): a tensor's row is a tensor, a
 * `TensorBufferLike`'s row one too, a typed array's row a number, a nested number array's row
 * its first item; tuples and dicts keep their structure.
 */
export type Unbatched<T> = T extends Tensor
  ? Tensor
  : T extends TensorBufferLike
    ? TensorBufferLike
    : T extends TypedArray
      ? number
      : T extends readonly NestedNumbers[]
        ? T[number]
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Unbatched<T[K]> }
          : T extends object
            ? { -readonly [K in keyof T]: Unbatched<T[K]> }
            : never;
