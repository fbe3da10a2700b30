// batch: consecutive elements stacked into one; every element of a pass is checked against the
// first one's structure and shapes, so a bad element mid-stream is named by its position.
import { disposeAll } from '../element';
import type { Cardinality } from '../types';
import { collate } from './collate';
import { mismatch, mismatchText, specOf, type Spec } from './spec';

/** Batches of `size` elements of `source`; the last one smaller unless `dropRemainder`. */
export async function* batchElements<T>(source: AsyncIterable<T>, size: number, dropRemainder: boolean): AsyncGenerator<unknown> {
  let group: T[] = [];
  let spec: Spec | undefined;
  let position = 0;
  let batchIndex = 0;
  const stack = (): unknown => {
    const out = collate(group, spec as Spec, `batch (batch ${batchIndex}, elements ${position - group.length}–${position - 1})`);
    disposeAll(group); // consumed: their values now live in the batch's tensors
    group = [];
    batchIndex++;
    return out;
  };
  try {
    for await (const e of source) {
      group.push(e);
      if (spec === undefined) spec = specOf(e, `batch: element ${position}`);
      else {
        const m = mismatch(spec, e);
        if (m) throw new Error(`batch: element ${position} (item ${group.length - 1} of batch ${batchIndex}): ${mismatchText(m)}, as the elements before it`);
      }
      position++;
      if (group.length === size) yield stack();
    }
    if (group.length > 0 && !dropRemainder) yield stack();
  } finally {
    disposeAll(group);
  }
}

/** The number of batches of a dataset of `n` elements. */
export function batchCount(n: Cardinality, size: number, dropRemainder: boolean): Cardinality {
  if (typeof n !== 'number') return n;
  return dropRemainder ? Math.floor(n / size) : Math.ceil(n / size);
}
