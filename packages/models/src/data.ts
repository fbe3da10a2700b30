import { cast, checkNestedValues, isTensor, tensor } from '@neurona/tensor';
import { describeData } from '@neurona/common';
import type { DataType, Tensor } from '@neurona/tensor';

/** A row given as a typed array (`Float64Array` rows are what many ports hold). */
export type NumberRow = Float32Array | Float64Array | Int32Array | Int16Array | Int8Array | Uint32Array | Uint16Array | Uint8Array;

/** Nested number arrays: `[[0, 1], [1, 0]]`; the innermost rows may be typed arrays. */
export type NestedNumbers = number | NumberRow | NestedNumbers[];

/**
 * Data as `fit`, `evaluate` and `predict` accept it: a tensor, nested number arrays, or for
 * several inputs/outputs an array of those (model order) or an object by input/output name.
 */
export type ModelData = Tensor | NestedNumbers[] | (Tensor | NestedNumbers[])[] | Record<string, Tensor | NestedNumbers[]>;

/** Tensors made from the user's data, and which of them the model made (and must dispose). */
export interface Converted {
  tensors: Tensor[];
  owned: Tensor[];
}

export { isTensor };

function one(where: string, value: unknown, dtype: DataType | null, owned: Tensor[], method: string | null): Tensor {
  if (isTensor(value)) {
    if (value.isDisposed) {
      // the shape outlives the data; the usual cause is a tensor made inside a tidy() that ended
      throw new Error(
        `${method ? `${method}(${where})` : where}: expected a live tensor, got a disposed tensor (shape [${value.shape.join(', ')}]) ` +
          `— was it disposed by tidy() or dispose()?`,
      );
    }
    return value;
  }
  if (Array.isArray(value)) {
    checkNestedValues(where, value, undefined, where.replace(/ \(.*\)$/, ''));
    const t = tensor(value as never, undefined, dtype ?? 'float32');
    owned.push(t);
    return t;
  }
  throw new Error(`${where} must be a tensor or nested number arrays, got ${describeData(value)}`);
}

function isListOfParts(value: unknown[], count: number): boolean {
  // [xa, xb] for a two-input model: each part a tensor, or nested arrays with a sample dimension
  if (value.length !== count || count < 2) return value.some(isTensor);
  return value.every((v) => isTensor(v) || (Array.isArray(v) && Array.isArray(v[0])));
}

/**
 * Turn user data into one tensor per model input (or output) `names`, in order. `what` names the
 * argument in errors (`'x'`, `'y'`, `'validationData x'`), `method` the model method that got it
 * (`'fit'`: a disposed tensor is reported as `fit(x): ...`).
 */
export function toTensors(what: string, value: unknown, names: string[], dtype: DataType | null = null, method: string | null = null): Converted {
  const owned: Tensor[] = [];
  const count = names.length;
  let parts: unknown[];
  if (value === undefined || value === null) throw new Error(`${what} is required, got ${describeData(value)}`);
  if (isTensor(value)) parts = [value];
  else if (Array.isArray(value)) {
    if (value.length > 0 && isListOfParts(value, count)) parts = value;
    else parts = [value];
  } else if (typeof value === 'object') {
    const rec = value as Record<string, unknown>;
    const missing = names.filter((n) => !(n in rec));
    const extra = Object.keys(rec).filter((k) => !names.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(
        `${what}: an object of data must have one entry per model ${what.startsWith('y') ? 'output' : 'input'} ` +
          `(${names.join(', ')}); missing: ${missing.join(', ') || 'none'}, unknown: ${extra.join(', ') || 'none'}`,
      );
    }
    parts = names.map((n) => rec[n]);
  } else {
    throw new Error(`${what} must be a tensor, nested number arrays or a list of them, got ${describeData(value)}`);
  }
  if (parts.length !== count) {
    throw new Error(
      `${what}: the model has ${count} ${what.startsWith('y') ? 'output' : 'input'}${count > 1 ? 's' : ''} ` +
        `(${names.join(', ')}) but got ${parts.length} array${parts.length > 1 ? 's' : ''}`,
    );
  }
  try {
    const tensors = parts.map((p, i) => one(count > 1 ? `${what}[${i}] (${names[i]})` : what, p, dtype, owned, method));
    return { tensors, owned };
  } catch (e) {
    for (const t of owned) t.dispose();
    throw e;
  }
}

/** Cast to `dtype` when needed, recording the new tensor as owned. */
export function castOwned(t: Tensor, dtype: DataType, owned: Tensor[]): Tensor {
  if (t.dtype === dtype) return t;
  const c = cast(t, dtype);
  owned.push(c);
  return c;
}
