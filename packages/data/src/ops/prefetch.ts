// prefetch: read up to n elements ahead of the consumer, so the source's I/O, decompression and
// async work overlap with what the consumer does between two reads.
import { disposeAll, disposeElement } from '../element';

/** The elements of `source`, read ahead by up to `n`; what was read ahead is released on early exit. */
export async function* prefetchElements<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const ready: T[] = [];
  let exhausted = false;
  let failure = null as { error: unknown } | null;
  let stopped = false;
  let pump: Promise<void> | null = null;
  let wake: (() => void) | null = null;

  const signal = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const start = (): void => {
    if (pump || exhausted || failure || stopped || ready.length >= n) return;
    pump = (async () => {
      try {
        for (;;) {
          if (stopped || exhausted || ready.length >= n) break;
          const r = await it.next();
          if (r.done) exhausted = true;
          else if (stopped) disposeElement(r.value);
          else ready.push(r.value);
          signal();
        }
      } catch (error) {
        failure = { error };
        exhausted = true;
        signal();
      } finally {
        pump = null;
      }
    })();
  };

  try {
    for (;;) {
      start();
      if (ready.length > 0) {
        const e = ready.shift() as T;
        start();
        yield e;
        continue;
      }
      if (failure) throw failure.error;
      if (exhausted) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    stopped = true;
    if (pump) await pump;
    disposeAll(ready.splice(0));
    if (!exhausted) await it.return?.();
  }
}
