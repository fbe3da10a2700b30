import { describeData } from '@neurona/common';
// A dataset of a stream's chunks (objects, for an object-mode Node stream).
import type { Dataset } from '../dataset';

import { fromGenerator, type GeneratorOptions } from './from-generator';
import { streamChunks, type NodeReadableLike } from './stream';

/** A stream `fromStream` reads: a web ReadableStream, a Node Readable, or any async iterable. */
export type StreamSource<R> = ReadableStream<R> | NodeReadableLike<R> | AsyncIterable<R>;

/**
 * A dataset of a stream's chunks: a web `ReadableStream`, a Node `Readable` (object mode gives
 * objects, byte mode Buffers) or an async iterable. A stream can be read once: pass a function
 * that opens it (`() => fs.createReadStream(path)`) to read it on every pass. Stopping a pass early
 * cancels / destroys the stream.
 */
export function fromStream<R>(source: StreamSource<R> | (() => StreamSource<R>), options: GeneratorOptions = {}): Dataset<R> {
  const who = options.name ?? 'fromStream';
  if (typeof source === 'function') return fromGenerator(() => streamChunks<R>((source as () => StreamSource<R>)(), who), { ...options, name: who });
  if (typeof source !== 'object' || source === null) throw new Error(`${who}: expected a stream or a function that opens one, got ${describeData(source)}`);
  let opened = false;
  return fromGenerator(
    () => {
      if (opened) {
        throw new Error(
          `${who}: a stream can be read once and an earlier pass read it; pass a function that opens the stream (() => createReadStream(path)) to read it again, or call cache()`,
        );
      }
      opened = true;
      return streamChunks<R>(source, who);
    },
    { ...options, name: who },
  );
}
