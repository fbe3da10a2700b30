import { describeData } from '@neurona/common';
// Where the bytes of a file-like source (csv, idx) come from: a path (Node), a URL (fetch), a
// Blob/File, bytes in memory, a stream, or a function that opens a stream for every pass.

import { isTypedArray } from '../guards';
import { platform } from '../platform';
import { isNodeStream, isWebStream, readWebStream, streamChunks, type NodeReadableLike, type WebReadableLike } from './stream';

/** A chunk of a byte source: bytes, or text already decoded. */
export type Chunk = Uint8Array | string;

/** A stream of chunks: a web ReadableStream, a Node Readable or an async iterable. */
export type ChunkStream = ReadableStream<Chunk> | ReadableStream<Uint8Array> | NodeReadableLike<Chunk> | AsyncIterable<Chunk>;

/**
 * Where a file's bytes come from: a path (Node), a URL (`http(s):`, `data:`, `file:`), a `Blob` /
 * `File`, the bytes themselves, a stream (read once), or a function that opens a stream (read on
 * every pass).
 */
export type ByteSource = string | URL | Blob | Uint8Array | ArrayBuffer | ChunkStream | (() => ChunkStream);

/** An opened byte source. */
export interface OpenedSource {
  /** A new pass over the chunks. */
  open(): AsyncIterable<Chunk>;
  /** A label for error messages: the path, URL or kind of source. */
  label: string;
  /** The path, for a file read from disk. */
  path?: string;
  /** The bytes, for a source held in memory. */
  bytes?: Uint8Array;
}

/** Whether a string names a URL rather than a path. */
export function isUrlString(s: string): boolean {
  return /^(https?|data|file|blob):/i.test(s);
}

async function* fetchChunks(url: string, who: string): AsyncGenerator<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`${who}: cannot fetch ${url}: ${(err as Error).message}`, { cause: err });
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new Error(`${who}: GET ${url} answered ${res.status} ${res.statusText}`.trimEnd());
  }
  if (!res.body) return;
  yield* readWebStream(res.body as unknown as WebReadableLike<Uint8Array>);
}

async function* single(chunk: Chunk): AsyncGenerator<Chunk> {
  yield chunk;
}

function fromUrl(url: URL, who: string): OpenedSource {
  if (url.protocol === 'file:') {
    const path = platform.pathOfFileUrl(url, who);
    return { open: () => platform.readFile(path, who), label: path, path };
  }
  return { open: () => fetchChunks(url.href, who), label: url.href };
}

/** Open `source` for reading; `who` names the caller in errors. Strings are paths or URLs here. */
export function openByteSource(source: ByteSource, who: string): OpenedSource {
  if (typeof source === 'string') {
    if (source === '') throw new Error(`${who}: expected a path or URL, got an empty string`);
    if (isUrlString(source)) return fromUrl(new URL(source), who);
    return { open: () => platform.readFile(source, who), label: source, path: source };
  }
  if (source instanceof URL) return fromUrl(source, who);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = (source as { name?: string }).name;
    return { open: () => readWebStream(source.stream() as unknown as WebReadableLike<Uint8Array>), label: name ?? 'a Blob' };
  }
  if (isTypedArray(source) && source instanceof Uint8Array) return { open: () => single(source), label: 'bytes', bytes: source };
  if (source instanceof ArrayBuffer) {
    const bytes = new Uint8Array(source);
    return { open: () => single(bytes), label: 'bytes', bytes };
  }
  if (typeof source === 'function') {
    return { open: () => streamChunks<Chunk>(source(), who), label: 'a stream' };
  }
  if (isWebStream(source) || isNodeStream(source) || (typeof source === 'object' && source !== null && Symbol.asyncIterator in source)) {
    let opened = false;
    return {
      label: 'a stream',
      open: () => {
        if (opened) {
          throw new Error(`${who}: a stream can be read once and an earlier pass read it; pass a function that opens the stream (() => createReadStream(path)) to read it on every pass, or call cache()`);
        }
        opened = true;
        return streamChunks<Chunk>(source, who);
      },
    };
  }
  throw new Error(`${who}: expected a path, a URL, a Blob, bytes, a stream or a function that opens one, got ${describeData(source)}`);
}
