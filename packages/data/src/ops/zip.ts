// zip and concatenate: several datasets read side by side or one after the other.
import { disposeElement } from '../element';
import type { Cardinality } from '../types';

/** One element of each source per step, packed by `pack`; stops at the shortest source. */
export async function* zipElements(sources: readonly AsyncIterable<unknown>[], pack: (values: unknown[]) => unknown): AsyncGenerator<unknown> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const open = its.map(() => true);
  try {
    for (;;) {
      const results = await Promise.allSettled(its.map((it) => it.next()));
      let ended = false;
      let failure: { error: unknown } | null = null;
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        if (r.status === 'rejected') {
          open[i] = false;
          failure ??= { error: r.reason };
        } else if (r.value.done) {
          open[i] = false;
          ended = true;
        }
      }
      if (failure || ended) {
        // this step's elements from the other sources belong to nobody now
        for (const r of results) if (r.status === 'fulfilled' && !r.value.done) disposeElement(r.value.value);
        if (failure) throw failure.error;
        return;
      }
      yield pack(results.map((r) => (r as PromiseFulfilledResult<IteratorResult<unknown>>).value.value));
    }
  } finally {
    await Promise.all(its.map((it, i) => (open[i] ? it.return?.() : undefined)));
  }
}

/** Cardinality of a zip: the smallest known count; infinite only when every source is. */
export function zipSize(sizes: readonly Cardinality[]): Cardinality {
  const known = sizes.filter((s): s is number => typeof s === 'number');
  if (known.length > 0) {
    const min = Math.min(...known);
    return sizes.includes('unknown') && min > 0 ? 'unknown' : min;
  }
  return sizes.includes('unknown') || sizes.length === 0 ? 'unknown' : 'infinite';
}

/** Every element of each source in turn. */
export async function* concatenateElements<T>(sources: readonly AsyncIterable<T>[]): AsyncGenerator<T> {
  for (const s of sources) yield* s;
}

/** Cardinality of a concatenation. */
export function concatenateSize(sizes: readonly Cardinality[]): Cardinality {
  if (sizes.includes('infinite')) return 'infinite';
  if (sizes.includes('unknown')) return 'unknown';
  return (sizes as number[]).reduce((a, b) => a + b, 0);
}
