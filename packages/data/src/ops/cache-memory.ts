// cache(): the elements of the first complete pass kept in memory; later passes replay them as
// clones (new tensor handles on the same memory), so the consumer may dispose what it gets.
import { cloneElement, disposeAll } from '../element';

/** A memory cache over one source: `open` is a pass, `release` frees what is kept. */
export interface MemoryCache<T> {
  open(): AsyncGenerator<T>;
  release(): void;
}

/** A memory cache of `source`. A pass stopped early keeps nothing (the next pass reads the source again). */
export function memoryCache<T>(source: AsyncIterable<T>): MemoryCache<T> {
  let store: T[] | null = null;
  async function* open(): AsyncGenerator<T> {
    if (store) {
      for (const e of store) yield cloneElement(e);
      return;
    }
    const pending: T[] = [];
    let complete = false;
    try {
      for await (const e of source) {
        pending.push(e);
        yield cloneElement(e);
      }
      complete = true;
    } finally {
      // another pass may have completed first (two passes at once): keep one store only
      if (complete && store === null) store = pending;
      else disposeAll(pending);
    }
  }
  return {
    open,
    release: () => {
      if (store) disposeAll(store);
      store = null;
    },
  };
}
