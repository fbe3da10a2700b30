import { describeData } from '@neurona/common';
// filter: keep the elements a predicate accepts; the others are released.
import { disposeElement } from '../element';
import { isTensor } from '../guards';
import { callUser } from './call-user';

async function verdict(result: unknown, index: number): Promise<boolean> {
  if (typeof result === 'boolean') return result;
  if (isTensor(result) && result.size === 1 && (result.dtype === 'bool' || result.dtype === 'int32' || result.dtype === 'float32')) {
    // a scalar tensor, as tf.data's predicates return: read it, then release it
    try {
      return (await result.data())[0] !== 0;
    } finally {
      result.dispose();
    }
  }
  throw new Error(`filter: the predicate must return a boolean (or a scalar boolean tensor), got ${describeData(result)} for element ${index}`);
}

/** The elements of `source` for which `predicate` is true. */
export async function* filterElements<T>(source: AsyncIterable<T>, predicate: (e: T) => unknown): AsyncGenerator<T> {
  let index = 0;
  for await (const e of source) {
    let keep: boolean;
    try {
      keep = await verdict(await callUser(predicate, e, 'filter'), index);
    } catch (err) {
      disposeElement(e);
      if (err instanceof Error && err.message.startsWith('filter:')) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`filter: the predicate failed on element ${index}: ${msg}`, { cause: err });
    }
    index++;
    if (keep) yield e;
    else disposeElement(e);
  }
}
