import { gather, isTensor, tensor1d, tidy } from '@neurona/tensor';
import type { NumericArray, Split, SplitData } from './types';

export { isTensor };

export function isNumericArray(x: unknown): x is NumericArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(typeof BigInt64Array !== 'undefined' && (x instanceof BigInt64Array || x instanceof BigUint64Array));
}

/** A short description of what was passed, for error messages. */
export function describe(x: unknown): string {
  if (isTensor(x)) return `a tensor of shape [${x.shape.join(', ')}]`;
  if (isNumericArray(x)) return `a ${x.constructor.name} of length ${x.length}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return x === null ? 'null' : typeof x;
}

/** Number of samples (the first axis). */
export function sampleCount(who: string, what: string, x: unknown): number {
  if (isTensor(x)) {
    if (x.rank === 0) throw new Error(`${who}: ${what} must have a first (samples) axis, got a scalar tensor`);
    return x.shape[0];
  }
  if (isNumericArray(x) || Array.isArray(x)) return x.length;
  throw new Error(`${who}: ${what} must be a tensor, a typed array or an array, got ${describe(x)}`);
}

/**
 * The samples at `indices`, of the same kind as `x`: `gather` on the first axis for a tensor (a
 * new tensor the caller owns), the same typed array type, or a plain array.
 */
export function take<X extends SplitData>(x: X, indices: ArrayLike<number>): Split<X> {
  if (isTensor(x)) {
    return tidy(() => gather(x, tensor1d(Array.from(indices), 'int32'), 0)) as Split<X>;
  }
  if (isNumericArray(x)) {
    const Ctor = x.constructor as new (n: number) => NumericArray;
    const out = new Ctor(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = x[indices[i]];
    return out as Split<X>;
  }
  if (Array.isArray(x)) {
    const out: unknown[] = [];
    for (let i = 0; i < indices.length; i++) out[i] = x[indices[i]];
    return out as Split<X>;
  }
  throw new Error(`take: expected a tensor, a typed array or an array, got ${describe(x)}`);
}
