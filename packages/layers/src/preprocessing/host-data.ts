// Moving data between tensors and the host for the preprocessing layers: their vocabularies,
// hashes and statistics are computed in JavaScript, as Keras computes them in NumPy/TF on the CPU.
import { dispose, isTensor, tensor } from '@neurona/tensor';
import type { DataType, Tensor, TensorContainer } from '@neurona/tensor';
import { describeValue } from '@neurona/common';

/** Values read back from a tensor or taken from arrays, with their shape (row-major). */
export type HostData =
  | { kind: 'number'; values: ArrayLike<number>; shape: number[]; streamed?: boolean }
  | { kind: 'string'; values: string[]; shape: number[]; streamed?: boolean };

/** Synchronous read of a tensor (string tensors live on the host on every backend). */
export function readSync(t: Tensor): HostData {
  if (t.dtype === 'string') return { kind: 'string', values: t.dataSync() as unknown as string[], shape: [...t.shape] };
  return { kind: 'number', values: t.dataSync() as ArrayLike<number>, shape: [...t.shape] };
}

/** Asynchronous read (works on every backend, WebGPU included). */
export async function readAsync(t: Tensor): Promise<HostData> {
  if (t.dtype === 'string') return { kind: 'string', values: (await t.data()) as unknown as string[], shape: [...t.shape] };
  return { kind: 'number', values: (await t.data()) as ArrayLike<number>, shape: [...t.shape] };
}

/** A new tensor from host values. */
export function toTensor(values: ArrayLike<number>, shape: number[], dtype: DataType): Tensor {
  return tensor(values as Float32Array, shape, dtype);
}

function isTypedArray(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) && !(x instanceof DataView);
}

/**
 * Nested arrays of numbers or of strings (rectangular), or a typed array, as host data; null when
 * `x` is none of these. Throws for ragged or mixed arrays.
 */
export function fromArrays(where: string, x: unknown): HostData | null {
  if (isTypedArray(x)) return { kind: 'number', values: Array.from(x), shape: [x.length] };
  if (!Array.isArray(x)) return null;
  const shape: number[] = [];
  let level: unknown = x;
  while (Array.isArray(level)) {
    shape.push(level.length);
    level = level[0];
  }
  const kind = typeof level === 'string' ? 'string' : 'number';
  const out: (number | string)[] = [];
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (kind === 'string' ? typeof v !== 'string' : typeof v !== 'number') {
        throw new Error(`${where}: expected ${kind === 'string' ? 'a string' : 'a number'} at ${path}, got ${describeValue(v)}`);
      }
      out.push(v as number | string);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new Error(`${where}: nested arrays must be rectangular; ${path} should have ${shape[depth]} elements, got ${describeValue(v)}`);
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(x, 0, 'data');
  return kind === 'string' ? { kind, values: out as string[], shape } : { kind, values: out as number[], shape };
}

/** What `adapt()` takes: arrays, tensors, or an iterable / async iterable (a `@neurona/data` Dataset) of batches. */
export type AdaptData =
  | Tensor
  | ArrayLike<number>
  | unknown[]
  | Iterable<unknown>
  | AsyncIterable<unknown>;

// The `x` of a dataset element, by the rules of `@neurona/data`'s `unpackXYSampleWeight`:
// `{ x, y }` → x, a tuple `[x, y]` (an array whose first item is a tensor) → x, anything else is x.
function xOf(element: unknown): unknown {
  if (element && typeof element === 'object' && !Array.isArray(element) && !isTensor(element) && !isTypedArray(element) && 'x' in element) {
    return (element as { x: unknown }).x;
  }
  if (Array.isArray(element) && element.length > 0 && element.length <= 3 && isTensor(element[0])) return element[0];
  return element;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<unknown> {
  return !!x && typeof (x as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function';
}

function isIterable(x: unknown): x is Iterable<unknown> {
  return !!x && typeof x === 'object' && typeof (x as Iterable<unknown>)[Symbol.iterator] === 'function';
}

async function oneBatch(where: string, x: unknown): Promise<HostData> {
  if (isTensor(x)) {
    if (x.isDisposed) throw new Error(`${where}: got a disposed tensor`);
    return readAsync(x);
  }
  const d = fromArrays(where, x);
  if (d) return d;
  throw new Error(`${where}: expected a tensor, nested arrays of numbers or strings, or a dataset of batches, got ${describeValue(x)}`);
}

/**
 * The batches of `adapt()`'s data, read to the host one at a time (a dataset streams: memory is
 * bounded by one batch). Tensors, arrays and typed arrays are one batch; an array of tensors, an
 * iterable or an async iterable (a `Dataset`) yields batches; each dataset element is disposed once
 * read (elements belong to their consumer). Throws when there is no data at all.
 */
export async function* adaptBatches(where: string, data: unknown): AsyncGenerator<HostData> {
  let count = 0;
  const emptyError = (what: string): Error =>
    new Error(`${where}: adapt() got no data (${what}); expected a tensor, an array or a dataset with at least one value`);
  if (data === null || data === undefined) throw new Error(`${where}: adapt() needs data, got ${describeValue(data)}`);
  const direct = isTensor(data) || isTypedArray(data) || (Array.isArray(data) && !(data.length > 0 && isTensor(data[0])));
  if (direct) {
    const b = await oneBatch(where, data);
    if (b.values.length === 0) throw emptyError(`shape [${b.shape.join(', ')}]`);
    yield b;
    return;
  }
  if (typeof data === 'string') throw new Error(`${where}: adapt() expects arrays, tensors or a dataset, got a single string; wrap it in an array`);
  const source: AsyncIterable<unknown> | Iterable<unknown> | null = isAsyncIterable(data) ? data : isIterable(data) ? data : null;
  if (!source) throw new Error(`${where}: adapt() expects a tensor, arrays or a dataset of batches, got ${describeValue(data)}`);
  // elements of an array of tensors are the caller's; elements of a dataset are ours to dispose
  const owned = !Array.isArray(data);
  for await (const element of source as AsyncIterable<unknown>) {
    try {
      const b = await oneBatch(where, xOf(element));
      count += b.values.length;
      yield { ...b, streamed: true };
    } finally {
      if (owned) dispose(element as TensorContainer);
    }
  }
  if (count === 0) throw emptyError('an empty dataset or list of batches');
}

/** Throws, naming the layer, unless the host data holds strings. */
export function expectStrings(where: string, d: HostData): asserts d is Extract<HostData, { kind: 'string' }> {
  if (d.kind !== 'string') throw new Error(`${where} expects string input, got numbers (shape [${d.shape.join(', ')}])`);
}

/** Throws, naming the layer, unless the host data holds numbers. */
export function expectNumbers(where: string, d: HostData): asserts d is Extract<HostData, { kind: 'number' }> {
  if (d.kind !== 'number') throw new Error(`${where} expects numeric input, got strings (shape [${d.shape.join(', ')}])`);
}

/** Throws, naming the layer, when a tensor given to a numeric layer holds strings. */
export function assertNumericTensor(where: string, t: Tensor): void {
  if (t.dtype === 'string') throw new Error(`${where} expects numeric input, got a string tensor of shape [${t.shape.join(', ')}]`);
}
