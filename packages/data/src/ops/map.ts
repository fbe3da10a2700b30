import { describeData } from '@neurona/common';
// map: a function applied to every element, sync or async, with several calls in flight when
// `parallelism` > 1 (results keep the input order).
import { disposeElement, disposeUnlessKept } from '../element';
import { callUser } from './call-user';

interface Settled<U> {
  ok: boolean;
  value?: U;
  error?: unknown;
}

async function applyOne<T, U>(fn: (e: T) => U | Promise<U>, element: T, index: number): Promise<U> {
  let out: U;
  try {
    out = await callUser(fn, element, 'map');
  } catch (err) {
    disposeElement(element);
    const msg = err instanceof Error ? err.message : String(err);
    throw new Error(`map: the function failed on element ${index}: ${msg}`, { cause: err });
  }
  disposeUnlessKept(element, out);
  return out;
}

const settle = <U>(p: Promise<U>): Promise<Settled<U>> =>
  p.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );

/** The elements of `source` passed through `fn`, in order, with up to `parallelism` calls running. */
export async function* mapElements<T, U>(source: AsyncIterable<T>, fn: (e: T) => U | Promise<U>, parallelism: number): AsyncGenerator<U> {
  if (parallelism <= 1) {
    let index = 0;
    for await (const e of source) yield await applyOne(fn, e, index++);
    return;
  }
  const it = source[Symbol.asyncIterator]();
  const inflight: Promise<Settled<U>>[] = [];
  let exhausted = false;
  let index = 0;
  try {
    for (;;) {
      while (!exhausted && inflight.length < parallelism) {
        const r = await it.next();
        if (r.done) exhausted = true;
        else inflight.push(settle(applyOne(fn, r.value, index++)));
      }
      const head = inflight.shift();
      if (!head) return;
      const s = await head;
      if (!s.ok) throw s.error;
      yield s.value as U;
    }
  } finally {
    // calls still running when the consumer stops or a call fails: their results belong to nobody
    for (const p of inflight) {
      const s = await p;
      if (s.ok) disposeElement(s.value);
    }
    if (!exhausted) await it.return?.();
  }
}

/** Check `map`'s options. */
export function checkParallelism(parallelism: unknown): number {
  if (parallelism === undefined) return 1;
  if (typeof parallelism !== 'number' || !Number.isInteger(parallelism) || parallelism < 1) {
    throw new Error(`map: parallelism must be an integer >= 1, got ${describeData(parallelism)}`);
  }
  return parallelism;
}
