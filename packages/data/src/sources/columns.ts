import { describeData } from '@neurona/common';
// The columns of an in-memory source (fromArrays): each gives one row per sample, and the rows
// of a whole batch at once by row copy (gatherRows on tensors, TypedArray.set on host arrays).
import { gatherRows, reshape, tensor, tidy, type Tensor } from '@neurona/tensor';
import { childPath, numberArrayShape, pathLabel } from '../element';
import { isNumberArray, isPlainObject, isTensor, isTypedArray } from '../guards';
import { typedDtype } from '../ops/spec';
import type { NestedNumbers, TypedArray } from '../types';

/** One column: a tensor (first axis = samples), a typed array (one value per sample), arrays of numbers, or an array of typed arrays (one row each). */
export type Column = Tensor | TypedArray | readonly NestedNumbers[] | readonly TypedArray[];

/** Columns in a structure: one column, a tuple of tensors, or a dict of columns. */
export type Columns = Column | readonly Tensor[] | { readonly [key: string]: Columns };

/** The sample (one row) of columns `C`: what a dataset of unbatched `fromArrays` elements yields. */
export type ArraySample<C> = C extends Tensor
  ? Tensor
  : C extends TypedArray
    ? number
    : C extends readonly (infer R)[]
      ? R extends Tensor
        ? { -readonly [K in keyof C]: Tensor }
        : R
      : C extends object
        ? { -readonly [K in keyof C]: ArraySample<C[K]> }
        : never;

/** Rows of one column. */
export interface RowSource {
  readonly n: number;
  /** Rows `indices` as one tensor; `shared` gives an index tensor made once per batch. */
  rows(indices: Int32Array, shared: () => Tensor): Tensor;
  /** Row `i` as a sample. */
  sample(i: number): unknown;
  /** The whole column as a tensor, when it is one (checked alive on each call). */
  whole?: () => Tensor;
}

/** A tree of columns with the structure of the elements. */
export type ColumnTree = { kind: 'leaf'; source: RowSource } | { kind: 'tuple'; items: ColumnTree[] } | { kind: 'dict'; keys: string[]; items: Record<string, ColumnTree> };

function tensorRows(x: Tensor, who: string, path: string): RowSource {
  if (x.rank === 0) throw new Error(`${who}: ${pathLabel(path)} is a scalar tensor; expected a tensor whose first axis holds the samples`);
  const alive = (): void => {
    if (x.isDisposed) throw new Error(`${who}: the tensor ${pathLabel(path)} [${x.shape.join(', ')}] was disposed while the dataset still reads it; keep it alive as long as the dataset is used`);
  };
  const rowShape = x.shape.slice(1);
  return {
    n: x.shape[0],
    rows: (_indices, shared) => {
      alive();
      return gatherRows(x, shared());
    },
    sample: (i) => {
      alive();
      return tidy(() => reshape(gatherRows(x, [i]), rowShape));
    },
    whole: () => {
      alive();
      return x;
    },
  };
}

function scalarRows(values: TypedArray): RowSource {
  const dtype = typedDtype(values);
  return {
    n: values.length,
    rows: (indices) => {
      const out = dtype === 'float32' ? new Float32Array(indices.length) : new Int32Array(indices.length);
      for (let j = 0; j < indices.length; j++) out[j] = values[indices[j]];
      return tensor(out, [indices.length], dtype);
    },
    sample: (i) => values[i],
  };
}

/** Rows copied from one flat host array of `n` rows of `rowShape`. */
function flatRows(flat: Float32Array | Int32Array, n: number, rowShape: number[], sample: (i: number) => unknown): RowSource {
  const size = rowShape.reduce((a, b) => a * b, 1);
  const dtype = flat instanceof Float32Array ? 'float32' : 'int32';
  return {
    n,
    rows: (indices) => {
      const out = dtype === 'float32' ? new Float32Array(indices.length * size) : new Int32Array(indices.length * size);
      for (let j = 0; j < indices.length; ) {
        // a run of consecutive rows is one copy
        const start = indices[j];
        let k = j + 1;
        while (k < indices.length && indices[k] === start + (k - j)) k++;
        out.set(flat.subarray(start * size, (start + k - j) * size), j * size);
        j = k;
      }
      return tensor(out, [indices.length, ...rowShape], dtype);
    },
    sample,
  };
}

function fill(v: unknown, shape: number[], depth: number, out: Float32Array, offset: number, who: string, path: string): number {
  if (depth === shape.length) {
    if (typeof v !== 'number') throw new Error(`${who}: ${pathLabel(path)} should be a number, found ${describeData(v)}`);
    out[offset] = v;
    return offset + 1;
  }
  if (!Array.isArray(v) || v.length !== shape[depth]) {
    throw new Error(`${who}: ${pathLabel(path)} should be an array of ${shape[depth]} (the arrays must be rectangular), found ${describeData(v)}`);
  }
  let o = offset;
  for (let i = 0; i < v.length; i++) o = fill(v[i], shape, depth + 1, out, o, who, `${path}[${i}]`);
  return o;
}

function numberRows(rows: readonly NestedNumbers[], who: string, path: string): RowSource {
  const shape = numberArrayShape(rows);
  const rowShape = shape.slice(1);
  const size = rowShape.reduce((a, b) => a * b, 1);
  // validated and converted once: batches are then copies of contiguous float32 rows
  const flat = new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) fill(rows[i], rowShape, 0, flat, i * size, who, `${path}[${i}]`);
  return flatRows(flat, rows.length, rowShape, (i) => rows[i]);
}

function typedRows(rows: readonly TypedArray[], who: string, path: string): RowSource {
  const length = rows[0].length;
  const dtype = typedDtype(rows[0]);
  rows.forEach((r, i) => {
    if (!isTypedArray(r) || r.length !== length || typedDtype(r) !== dtype) {
      throw new Error(`${who}: ${pathLabel(path)}[${i}] is ${describeData(r)}; expected a ${dtype === 'float32' ? 'float' : 'integer'} typed array of ${length} like row 0`);
    }
  });
  return {
    n: rows.length,
    rows: (indices) => {
      const out = dtype === 'float32' ? new Float32Array(indices.length * length) : new Int32Array(indices.length * length);
      for (let j = 0; j < indices.length; j++) out.set(rows[indices[j]], j * length);
      return tensor(out, [indices.length, length], dtype);
    },
    sample: (i) => rows[i],
  };
}

/** The column tree of `value`; `who` and `path` name it in errors. */
export function columnTree(value: unknown, who: string, path: string): ColumnTree {
  if (isTensor(value)) {
    if (value.isDisposed) throw new Error(`${who}: ${pathLabel(path)} is a disposed tensor`);
    return { kind: 'leaf', source: tensorRows(value, who, path) };
  }
  if (isTypedArray(value)) return { kind: 'leaf', source: scalarRows(value) };
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isTensor)) return { kind: 'tuple', items: value.map((v, i) => columnTree(v, who, childPath(path, i))) };
    if (value.length > 0 && isTypedArray(value[0])) return { kind: 'leaf', source: typedRows(value as TypedArray[], who, path) };
    if (isNumberArray(value)) return { kind: 'leaf', source: numberRows(value, who, path) };
    throw new Error(`${who}: ${pathLabel(path)} is an array of ${value.length} starting with ${describeData(value[0])}; expected numbers or arrays of numbers (one per sample), typed arrays (one row per sample) or tensors (a tuple of columns)`);
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) throw new Error(`${who}: ${pathLabel(path)} is an empty object; expected at least one column`);
    const items: Record<string, ColumnTree> = {};
    for (const k of keys) items[k] = columnTree(value[k], who, childPath(path, k));
    return { kind: 'dict', keys, items };
  }
  throw new Error(`${who}: ${pathLabel(path)} is ${describeData(value)}; expected a tensor, a typed array, an array of numbers or typed arrays, or an object / tuple of those`);
}

/** The leaves of a tree with their paths. */
export function leavesOf(tree: ColumnTree, path = ''): { path: string; source: RowSource }[] {
  if (tree.kind === 'leaf') return [{ path, source: tree.source }];
  if (tree.kind === 'tuple') return tree.items.flatMap((t, i) => leavesOf(t, childPath(path, i)));
  return tree.keys.flatMap((k) => leavesOf(tree.items[k], childPath(path, k)));
}

/** Row `i` of every column, in the tree's structure. */
export function sampleOf(tree: ColumnTree, i: number): unknown {
  if (tree.kind === 'leaf') return tree.source.sample(i);
  if (tree.kind === 'tuple') return tree.items.map((t) => sampleOf(t, i));
  return Object.fromEntries(tree.keys.map((k) => [k, sampleOf(tree.items[k], i)]));
}

/**
 * Every column whole, in the tree's structure (the element a batch of all rows would be, with
 * the source's own tensors), or null when a column is not a tensor.
 */
export function columnsOf(tree: ColumnTree): unknown {
  if (tree.kind === 'leaf') return tree.source.whole ? tree.source.whole() : null;
  const parts = tree.kind === 'tuple' ? tree.items.map(columnsOf) : tree.keys.map((k) => columnsOf(tree.items[k]));
  if (parts.some((p) => p === null)) return null;
  return tree.kind === 'tuple' ? parts : Object.fromEntries(tree.keys.map((k, i) => [k, parts[i]]));
}

/** Rows `indices` of every column, in the tree's structure. */
export function rowsOf(tree: ColumnTree, indices: Int32Array, shared: () => Tensor): unknown {
  if (tree.kind === 'leaf') return tree.source.rows(indices, shared);
  if (tree.kind === 'tuple') return tree.items.map((t) => rowsOf(t, indices, shared));
  return Object.fromEntries(tree.keys.map((k) => [k, rowsOf(tree.items[k], indices, shared)]));
}
