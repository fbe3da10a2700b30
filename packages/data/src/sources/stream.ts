import { describeData } from '@neurona/common';
// Streams as async iterables: web ReadableStreams (read through a reader, which every browser
// has) and Node Readables (async iterable themselves).


/** A web `ReadableStream` as far as reading goes. */
export interface WebReadableLike<R> {
  getReader(): { read(): Promise<{ done: boolean; value?: R }>; cancel(reason?: unknown): Promise<void>; releaseLock(): void };
}

/** A Node `Readable` (or anything async iterable with `destroy`). */
export interface NodeReadableLike<R> extends AsyncIterable<R> {
  destroy(error?: Error): unknown;
}

/** True for a web ReadableStream. */
export function isWebStream(x: unknown): x is WebReadableLike<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as WebReadableLike<unknown>).getReader === 'function';
}

/** True for a Node Readable. */
export function isNodeStream(x: unknown): x is NodeReadableLike<unknown> {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as NodeReadableLike<unknown>).destroy === 'function' &&
    typeof (x as NodeReadableLike<unknown>)[Symbol.asyncIterator] === 'function' &&
    typeof (x as { pipe?: unknown }).pipe === 'function'
  );
}

/** The chunks of a web ReadableStream; stopping early cancels the stream. */
export async function* readWebStream<R>(stream: WebReadableLike<R>): AsyncGenerator<R> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) {
        done = true;
        return;
      }
      yield r.value as R;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The chunks of a Node Readable; stopping early destroys the stream. */
export async function* readNodeStream<R>(stream: NodeReadableLike<R>): AsyncGenerator<R> {
  try {
    for await (const chunk of stream) yield chunk;
  } finally {
    stream.destroy();
  }
}

/** The chunks of any stream or async iterable. */
export function streamChunks<R>(stream: unknown, who: string): AsyncIterable<R> {
  if (isWebStream(stream)) return readWebStream(stream as WebReadableLike<R>);
  if (isNodeStream(stream)) return readNodeStream(stream as NodeReadableLike<R>);
  const s = stream as Partial<AsyncIterable<R> & Iterable<R>>;
  if (typeof s?.[Symbol.asyncIterator] === 'function' || typeof s?.[Symbol.iterator] === 'function') {
    return (async function* () {
      yield* s as AsyncIterable<R>;
    })();
  }
  throw new Error(`${who}: expected a ReadableStream, a Node Readable or an async iterable, got ${describeData(stream)}`);
}
