import { describeData } from '@neurona/common';
// zip(): datasets read side by side into tuples or dicts, as tf.data.Dataset.zip.
import { Dataset } from './dataset';

import { isPlainObject } from './guards';
import { zipElements, zipSize } from './ops/zip';

/** The element type of `zip(datasets)`: the datasets' element types in the same tuple or dict. */
export type Zipped<D> = { -readonly [K in keyof D]: D[K] extends Dataset<infer U> ? U : never };

/**
 * One element of each dataset per step, in the same structure: `zip([a, b])` yields `[ea, eb]`,
 * `zip({ x: images, y: labels })` yields `{ x, y }`. Stops at the shortest dataset (the elements
 * the others already gave for that step are released).
 */
export function zip<const D extends readonly Dataset<unknown>[] | { readonly [key: string]: Dataset<unknown> }>(datasets: D): Dataset<Zipped<D>> {
  const who = 'zip';
  const isTuple = Array.isArray(datasets);
  if (!isTuple && !isPlainObject(datasets)) throw new Error(`${who}: expected an array or an object of datasets, got ${describeData(datasets)}`);
  const keys = isTuple ? null : Object.keys(datasets);
  const list: Dataset<unknown>[] = isTuple ? [...(datasets as readonly Dataset<unknown>[])] : (keys as string[]).map((k) => (datasets as Record<string, Dataset<unknown>>)[k]);
  if (list.length === 0) throw new Error(`${who}: expected at least one dataset, got none`);
  list.forEach((d, i) => {
    if (!(d instanceof Dataset)) throw new Error(`${who}: ${keys ? `'${keys[i]}'` : `item ${i}`} is ${describeData(d)}; expected a Dataset`);
  });
  const pack = (values: unknown[]): unknown => (keys ? Object.fromEntries(keys.map((k, i) => [k, values[i]])) : values);
  return new Dataset<Zipped<D>>(() => zipElements(list, pack) as AsyncIterator<Zipped<D>>, { size: zipSize(list.map((d) => d.size)), parents: list });
}
