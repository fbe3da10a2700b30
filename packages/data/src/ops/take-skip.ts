// take, skip and repeat: counting elements.
import { disposeElement } from '../element';
import type { Cardinality } from '../types';

/** The first `count` elements; the source is closed (its buffers released) right after. */
export async function* takeElements<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  if (count <= 0) return;
  let n = 0;
  for await (const e of source) {
    yield e;
    if (++n >= count) return;
  }
}

/** All but the first `count` elements; skipped elements are released. */
export async function* skipElements<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  let n = 0;
  for await (const e of source) {
    if (n < count) {
      n++;
      disposeElement(e);
    } else yield e;
  }
}

/** `count` passes over `source` (forever when infinite); stops after a pass that yields nothing. */
export async function* repeatElements<T>(source: AsyncIterable<T>, count: number): AsyncGenerator<T> {
  for (let pass = 0; pass < count; pass++) {
    let any = false;
    for await (const e of source) {
      any = true;
      yield e;
    }
    if (!any) return;
  }
}

/** Cardinality after `take(count)`. */
export function takeSize(n: Cardinality, count: number): Cardinality {
  if (n === 'infinite') return count;
  if (n === 'unknown') return 'unknown';
  return Math.min(n, count);
}

/** Cardinality after `skip(count)`. */
export function skipSize(n: Cardinality, count: number): Cardinality {
  return typeof n === 'number' ? Math.max(0, n - count) : n;
}

/** Cardinality after `repeat(count)` (`Infinity` for forever), as tf.data. */
export function repeatSize(n: Cardinality, count: number): Cardinality {
  if (n === 0 || count === 0) return 0;
  if (count === Infinity) return 'infinite';
  return typeof n === 'number' ? n * count : n;
}
