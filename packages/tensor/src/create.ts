// Tensor creation from nested arrays, checked: tfjs-core fills a ragged array's gaps with
// whatever follows on one backend and throws a bare RangeError on another, so every creation
// function neurona exports checks that nested arrays are rectangular (naming the first bad row)
// and hold numbers, before tfjs sees them. Typed arrays are accepted as rows.
import * as tfc from '@tensorflow/tfjs-core';
import type { DataType, Rank, Scalar, Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, TensorLike } from '@tensorflow/tfjs-core';

type Values<F extends (...a: never[]) => unknown> = Parameters<F>[0];
/** Rows given as typed arrays (`[Float64Array, Float64Array]`), accepted wherever nested arrays are. */
type TypedRows = ArrayLike<number>[] | ArrayLike<number>[][] | ArrayLike<number>[][][];

type Row = ArrayLike<unknown>;

const isTypedArray = (v: unknown): v is ArrayLike<number> => ArrayBuffer.isView(v) && !(v instanceof DataView);

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isTypedArray(v)) return `a ${v.constructor.name} of ${v.length}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${String(v)}`;
}

/** Does this leaf fit: strings (or bytes) for a string tensor, numbers or booleans otherwise. */
function leafOk(v: unknown, strings: boolean): boolean {
  return strings ? typeof v === 'string' || v instanceof Uint8Array : typeof v === 'number' || typeof v === 'boolean';
}

const elements = (n: number): string => `${n} element${n === 1 ? '' : 's'}`;

/**
 * Throw unless `values` (a nested array, possibly of typed-array rows) is rectangular with leaves
 * of the right kind. `who` starts the message; the path names the first bad row (`values[1][0]`,
 * or from another `root`: `x[1][0]`).
 */
export function checkNestedValues(who: string, values: unknown, dtype?: DataType, root = 'values'): void {
  if (!Array.isArray(values)) return; // flat typed arrays, scalars and buffers are tfjs's to check
  const shape: number[] = [];
  let first: unknown = values;
  for (; Array.isArray(first) || isTypedArray(first); first = (first as Row)[0]) {
    shape.push((first as Row).length);
    if ((first as Row).length === 0) break;
  }
  // tfjs infers a string tensor from string leaves when no dtype is given
  const strings = dtype === 'string' || (dtype === undefined && typeof first === 'string');
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (!leafOk(v, strings)) {
        throw new Error(`${who}: ${path} is ${kind(v)}; expected ${strings ? 'a string' : 'a number'} (a ${shape.length}-d array of shape [${shape.join(', ')}])`);
      }
      return;
    }
    const isRow = Array.isArray(v) || isTypedArray(v);
    if (!isRow || (v as Row).length !== shape[depth]) {
      const firstRow = `${root}${'[0]'.repeat(depth)}`;
      throw new Error(
        `${who}: nested arrays must be rectangular: ${path} is ${kind(v)}, but ${firstRow} has ${elements(shape[depth])} ` +
          `(shape [${shape.join(', ')}] from the first row at each depth)`,
      );
    }
    if (isTypedArray(v)) {
      if (depth + 1 !== shape.length) throw new Error(`${who}: ${path} is ${kind(v)}, but the arrays nest ${shape.length - depth - 1} more levels there`);
      if (strings) throw new Error(`${who}: ${path} is ${kind(v)}; expected strings`);
      return;
    }
    for (let i = 0; i < (v as Row).length; i++) walk((v as Row)[i], depth + 1, `${path}[${i}]`);
  };
  walk(values, 0, root);
}

/** tfjs takes typed arrays only flat: rows given as typed arrays become plain arrays. */
function plainRows(values: unknown): unknown {
  if (!Array.isArray(values)) return values;
  return values.map((v) => (isTypedArray(v) ? Array.from(v) : Array.isArray(v) ? plainRows(v) : v));
}

function hasTypedRows(values: unknown): boolean {
  return Array.isArray(values) && values.length > 0 && (isTypedArray(values[0]) || hasTypedRows(values[0]));
}

function checked(who: string, values: unknown, dtype?: DataType): TensorLike {
  checkNestedValues(who, values, dtype);
  return (hasTypedRows(values) ? plainRows(values) : values) as TensorLike;
}

/**
 * A tensor from values: `tensor([[1, 2], [3, 4]])`, `tensor(float32Array, [2, 2])`. Nested arrays
 * must be rectangular (the first bad row is named); rows may be typed arrays.
 */
export function tensor<R extends Rank = Rank>(values: TensorLike | TypedRows, shape?: number[], dtype?: DataType): Tensor<R> {
  return tfc.tensor(checked('tensor', values, dtype), shape as never, dtype) as Tensor<R>;
}

/** A rank-1 tensor: `tensor1d([1, 2, 3])`. */
export function tensor1d(values: Values<typeof tfc.tensor1d>, dtype?: DataType): Tensor1D {
  return tfc.tensor1d(checked('tensor1d', values, dtype) as Values<typeof tfc.tensor1d>, dtype);
}

/** A rank-2 tensor: `tensor2d([[1, 2], [3, 4]])` or `tensor2d(flat, [2, 2])`; rows must have equal lengths. */
export function tensor2d(values: Values<typeof tfc.tensor2d> | TypedRows, shape?: [number, number], dtype?: DataType): Tensor2D {
  return tfc.tensor2d(checked('tensor2d', values, dtype) as Values<typeof tfc.tensor2d>, shape, dtype);
}

/** A rank-3 tensor; nested arrays must be rectangular. */
export function tensor3d(values: Values<typeof tfc.tensor3d> | TypedRows, shape?: [number, number, number], dtype?: DataType): Tensor3D {
  return tfc.tensor3d(checked('tensor3d', values, dtype) as Values<typeof tfc.tensor3d>, shape, dtype);
}

/** A rank-4 tensor; nested arrays must be rectangular. */
export function tensor4d(values: Values<typeof tfc.tensor4d> | TypedRows, shape?: [number, number, number, number], dtype?: DataType): Tensor4D {
  return tfc.tensor4d(checked('tensor4d', values, dtype) as Values<typeof tfc.tensor4d>, shape, dtype);
}

/** A rank-0 tensor: `scalar(3)`. */
export function scalar(value: number | boolean | string | Uint8Array, dtype?: DataType): Scalar {
  if (Array.isArray(value) || (isTypedArray(value) && !(value instanceof Uint8Array && dtype === 'string'))) {
    throw new Error(`scalar: expected one number, got ${kind(value)}; use tensor1d or tensor for arrays`);
  }
  return tfc.scalar(value, dtype);
}
