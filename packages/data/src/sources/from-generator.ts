import { describeData, checkOptions } from '@neurona/common';
// Datasets from iterables and generator functions, sync or async.
import { Dataset } from '../dataset';
import { cloneElement, disposeElement } from '../element';
import type { Cardinality } from '../types';

/** Something `for await` can read: a sync or async iterable, or an iterator. */
export type IterableSource<T> = Iterable<T> | AsyncIterable<T> | Iterator<T> | AsyncIterator<T>;

/** Options of `fromGenerator` and `fromIterable`. */
export interface GeneratorOptions {
  /**
   * The number of elements, when you know it (progress bars and `stepsPerEpoch` use it); checked
   * at the end of every pass. Default `'unknown'`.
   */
  size?: Cardinality;
  /** A name for error messages; default `'fromGenerator'` / `'fromIterable'`. */
  name?: string;
}

function iteratorOf<T>(src: IterableSource<T>, who: string): { it: Iterator<T> | AsyncIterator<T>; self: boolean } {
  const s = src as Partial<AsyncIterable<T> & Iterable<T> & Iterator<T>>;
  const asyncIt = s[Symbol.asyncIterator];
  const syncIt = s[Symbol.iterator];
  if (typeof asyncIt === 'function') {
    const it = asyncIt.call(s);
    return { it, self: (it as unknown) === src };
  }
  if (typeof syncIt === 'function') {
    const it = syncIt.call(s);
    return { it, self: (it as unknown) === src };
  }
  if (typeof s.next === 'function') return { it: src as Iterator<T>, self: true };
  throw new Error(`${who}: expected an iterable, an async iterable or an iterator, got ${describeData(src)}`);
}

function checkSize(who: string, size: unknown): Cardinality {
  if (size === undefined) return 'unknown';
  if (size === 'unknown' || size === 'infinite') return size;
  if (typeof size === 'number' && Number.isInteger(size) && size >= 0) return size;
  throw new Error(`${who}: size must be an integer >= 0, 'unknown' or 'infinite', got ${describeData(size)}`);
}

/**
 * One pass: the elements of `it`, clones of them when the source keeps its elements, checked
 * against the declared size.
 */
async function* pass<T>(it: Iterator<T> | AsyncIterator<T>, clone: boolean, size: Cardinality, who: string): AsyncGenerator<T> {
  let count = 0;
  let done = false;
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      if (typeof size === 'number' && count >= size) {
        if (!clone) disposeElement(r.value);
        throw new Error(`${who}: the dataset was declared with size ${size} but yielded more elements`);
      }
      count++;
      yield clone ? cloneElement(r.value) : r.value;
    }
    if (typeof size === 'number' && count !== size) throw new Error(`${who}: the dataset was declared with size ${size} but yielded ${count} elements`);
    if (size === 'infinite') throw new Error(`${who}: the dataset was declared infinite but ended after ${count} elements`);
  } finally {
    if (!done) await it.return?.();
  }
}

function make<T>(source: IterableSource<T> | (() => IterableSource<T>), options: GeneratorOptions, defaultName: string): Dataset<T> {
  checkOptions(typeof options.name === 'string' ? options.name : defaultName, options, ['size', 'name']);
  const who = options.name ?? defaultName;
  let size = checkSize(who, options.size);
  const isFactory = typeof source === 'function';
  if (!isFactory && Array.isArray(source) && options.size === undefined) size = source.length;
  let used = false;
  return new Dataset<T>(
    () => {
      if (isFactory) {
        const made = (source as () => IterableSource<T>)();
        if (made === null || typeof made !== 'object') throw new Error(`${who}: the function must return an iterable or iterator (a generator), got ${describeData(made)}`);
        // a generator function makes fresh elements on each call: hand them over as they are
        return pass(iteratorOf(made, who).it, false, size, who);
      }
      const { it, self } = iteratorOf(source, who);
      if (self) {
        if (used) {
          throw new Error(
            `${who}: this dataset reads a one-shot iterator (a generator object or a stream) that an earlier pass consumed; pass a generator function (fromGenerator(function* () { ... })) to read it again, or call cache() to keep the elements`,
          );
        }
        used = true;
        return pass(it, false, size, who);
      }
      // a re-iterable collection keeps its elements: hand out clones, the originals stay the caller's
      return pass(it, true, size, who);
    },
    { size },
  );
}

/**
 * A dataset from a generator function (sync or async; called again for every pass, so the
 * dataset can be read many times) or from an iterable. The generator's elements are handed to
 * the consumer as they are: yield fresh tensors, never one you use again.
 *
 * ```ts
 * const ds = fromGenerator(async function* () {
 *   for (let i = 0; i < 100; i++) yield { x: new Float32Array([i, i * 2]), y: i % 2 };
 * }, { size: 100 });
 * ```
 */
export function fromGenerator<T>(source: (() => IterableSource<T>) | IterableSource<T>, options: GeneratorOptions = {}): Dataset<T> {
  if (typeof source !== 'function' && (typeof source !== 'object' || source === null)) {
    throw new Error(`fromGenerator: expected a generator function or an iterable, got ${describeData(source)}`);
  }
  return make(source, options, 'fromGenerator');
}

/**
 * A dataset of an iterable's elements. A collection (an array, a Set) can be read many times and
 * its tensors stay yours: each pass yields clones (new handles, no copy). A one-shot iterator (a
 * generator object) is read once; reading it again is an error (use `fromGenerator` with the
 * generator function, or `cache()`). An array's size is known.
 */
export function fromIterable<T>(iterable: IterableSource<T>, options: GeneratorOptions = {}): Dataset<T> {
  if (typeof iterable !== 'object' || iterable === null) throw new Error(`fromIterable: expected an iterable, got ${describeData(iterable)}`);
  return make(iterable, options, 'fromIterable');
}
