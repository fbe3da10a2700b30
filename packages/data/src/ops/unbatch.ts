import { describeData } from '@neurona/common';
// unbatch: every row of a batch as its own element (the inverse of batch).
import { buffer, gatherRows, reshape, tidy, type Tensor } from '@neurona/tensor';
import { childPath, disposeAll, disposeElement, pathLabel } from '../element';
import { isNumberArray, isPlainObject, isTensor, isTensorBuffer, isTypedArray } from '../guards';
import type { TensorBufferLike } from '../types';

/** A copy of values [a, b) of a TensorBuffer, in its dtype's array type. */
function rowValues(v: TensorBufferLike, a: number, b: number): ArrayLike<number> | string[] {
  if (v.dtype === 'string') return Array.prototype.slice.call(v.values, a, b) as string[];
  const out = v.dtype === 'int32' ? new Int32Array(b - a) : v.dtype === 'bool' ? new Uint8Array(b - a) : new Float32Array(b - a);
  for (let i = a; i < b; i++) out[i - a] = (v.values as ArrayLike<number>)[i];
  return out;
}

function leafRows(v: unknown, path: string): unknown[] {
  if (isTensor(v)) {
    if (v.rank === 0) throw new Error(`unbatch: ${pathLabel(path)} is a scalar tensor; expected a batch with a leading dimension`);
    const rowShape = v.shape.slice(1);
    const out: Tensor[] = [];
    try {
      for (let i = 0; i < v.shape[0]; i++) out.push(tidy(() => reshape(gatherRows(v, [i]), rowShape)));
    } catch (err) {
      disposeAll(out);
      throw err;
    }
    return out;
  }
  if (isTensorBuffer(v)) {
    if (v.shape.length === 0) throw new Error(`unbatch: ${pathLabel(path)} is a scalar TensorBuffer; expected a batch with a leading dimension`);
    const rowShape = v.shape.slice(1);
    const size = rowShape.reduce((a, b) => a * b, 1);
    const rows: TensorBufferLike[] = [];
    for (let i = 0; i < v.shape[0]; i++) rows.push(buffer(rowShape, v.dtype as 'float32', rowValues(v, i * size, (i + 1) * size) as Float32Array));
    return rows;
  }
  if (isTypedArray(v)) return Array.from(v);
  if (Array.isArray(v) && isNumberArray(v)) return [...v];
  throw new Error(`unbatch: ${pathLabel(path)} is ${describeData(v)}; expected a batch (a tensor, TensorBuffer, typed array or array with a leading dimension)`);
}

/** The rows of one batch as separate elements; the batch's tensors are left to the caller. */
export function splitRows(element: unknown, path = ''): unknown[] {
  const structured = (Array.isArray(element) && !isNumberArray(element)) || isPlainObject(element);
  if (!structured) return leafRows(element, path);
  const keys = Array.isArray(element) ? element.map((_, i) => i) : Object.keys(element as object);
  const parts: { key: string | number; rows: unknown[] }[] = [];
  try {
    for (const key of keys) {
      const rows = splitRows((element as Record<string | number, unknown>)[key], childPath(path, key));
      parts.push({ key, rows });
      if (rows.length !== parts[0].rows.length) {
        throw new Error(
          `unbatch: ${pathLabel(childPath(path, key))} has ${rows.length} rows but ${pathLabel(childPath(path, parts[0].key))} has ${parts[0].rows.length}; every part of a batch needs the same leading dimension`,
        );
      }
    }
  } catch (err) {
    for (const p of parts) disposeAll(p.rows);
    throw err;
  }
  const n = parts.length > 0 ? parts[0].rows.length : 0;
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) {
    if (Array.isArray(element)) out.push(parts.map((p) => p.rows[i]));
    else out.push(Object.fromEntries(parts.map((p) => [p.key, p.rows[i]])));
  }
  return out;
}

/** Every row of every batch of `source`. */
export async function* unbatchElements<T>(source: AsyncIterable<T>): AsyncGenerator<unknown> {
  for await (const b of source) {
    let rows: unknown[];
    try {
      rows = splitRows(b);
    } finally {
      disposeElement(b);
    }
    try {
      while (rows.length > 0) yield rows.shift();
    } finally {
      disposeAll(rows);
    }
  }
}
