import { describeData, checkOptions } from '@neurona/common';
// idx(): the records of an IDX file (the format of MNIST) read incrementally, gzip or not: one
// chunk of the file in memory at a time, never the whole file.
import { buffer } from '@neurona/tensor';
import { Dataset } from '../dataset';

import { platform } from '../platform';
import type { Cardinality, TensorBufferLike } from '../types';
import { ByteReader } from './byte-reader';
import { openByteSource, type ByteSource, type Chunk } from './byte-source';

/** Options of `idx`. */
export interface IdxOptions {
  /** The dtype of the elements (default float32, exact for every IDX type but int above 2^24). */
  dtype?: 'float32' | 'int32';
}

/** The header of an IDX file: its value type and dimensions. */
export interface IdxHeader {
  /** The type byte: 0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double. */
  type: number;
  dims: number[];
}

const TYPE_BYTES: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };
const hex = (b: Uint8Array): string => `0x${Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('')}`;
const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
const fmt = (n: number): string => n.toLocaleString('en-US');

/** The header at the start of `bytes`, or null when more bytes are needed; throws on a bad magic number. */
export function parseIdxHeader(bytes: Uint8Array, label: string): { header: IdxHeader; length: number } | null {
  if (bytes.length < 4) return null;
  const type = bytes[2];
  const nd = bytes[3];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !(type in TYPE_BYTES) || nd === 0) {
    throw new Error(
      `idx ${label}: expected an IDX file (magic number 0x0000TTNN: two zero bytes, a type TT of 08, 09, 0b, 0c, 0d or 0e, and NN > 0 dimensions), found ${hex(bytes)}`,
    );
  }
  const length = 4 + 4 * nd;
  if (bytes.length < length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < nd; i++) dims.push(view.getUint32(4 + 4 * i));
  return { header: { type, dims }, length };
}

async function* bytesOnly(chunks: AsyncIterable<Chunk>, label: string): AsyncGenerator<Uint8Array> {
  for await (const c of chunks) {
    if (typeof c === 'string') throw new Error(`idx ${label}: expected bytes, got text chunks; open the stream without an encoding`);
    yield c;
  }
}

/** The chunks of the file, decompressed when they start like gzip. */
async function* decompressed(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length < 2) {
    // a tiny first chunk: gather two bytes to see the gzip magic
    const next = await it.next();
    if (next.done) break;
    const joined = new Uint8Array(first.value.length + next.value.length);
    joined.set(first.value);
    joined.set(next.value, first.value.length);
    first = { done: false, value: joined };
  }
  if (first.done) return;
  const head = first.value;
  const rest: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => {
      let sentHead = false;
      return {
        next: async () => {
          if (!sentHead) {
            sentHead = true;
            return { done: false, value: head };
          }
          return it.next();
        },
        return: async () => (await it.return?.()) ?? { done: true, value: undefined },
      };
    },
  };
  if (isGzip(head)) yield* platform.gunzip(rest);
  else yield* rest;
}

function decodeRecord(view: Uint8Array, type: number, dtype: 'float32' | 'int32', shape: number[]): TensorBufferLike {
  const n = view.length / TYPE_BYTES[type];
  const out = dtype === 'float32' ? new Float32Array(n) : new Int32Array(n);
  if (type === 0x08) out.set(view);
  else if (type === 0x09) out.set(new Int8Array(view.buffer, view.byteOffset, n));
  else {
    // multi-byte IDX values are big-endian
    const dv = new DataView(view.buffer, view.byteOffset, view.byteLength);
    for (let i = 0; i < n; i++) {
      out[i] = type === 0x0b ? dv.getInt16(2 * i) : type === 0x0c ? dv.getInt32(4 * i) : type === 0x0d ? dv.getFloat32(4 * i) : dv.getFloat64(8 * i);
    }
  }
  return buffer(shape, dtype, out as Float32Array);
}

async function* records(chunks: AsyncIterable<Chunk>, label: string, dtype: 'float32' | 'int32'): AsyncGenerator<TensorBufferLike> {
  const reader = new ByteReader(decompressed(bytesOnly(chunks, label))[Symbol.asyncIterator]());
  try {
    const magic = await reader.read(4);
    if (magic.length < 4) throw new Error(`idx ${label} is truncated: expected an IDX header of at least 4 bytes, found ${magic.length}`);
    parseIdxHeader(magic, label); // throws on a bad magic number
    const nd = magic[3];
    const dimBytes = await reader.read(4 * nd);
    const header = new Uint8Array(4 + dimBytes.length);
    header.set(magic);
    header.set(dimBytes, 4);
    const parsed = parseIdxHeader(header, label);
    if (!parsed) throw new Error(`idx ${label} is truncated: the header declares ${nd} dimensions (${4 + 4 * nd} header bytes), found ${header.length}`);
    const { type, dims } = parsed.header;
    const shape = dims.slice(1);
    const recordBytes = shape.reduce((a, b) => a * b, 1) * TYPE_BYTES[type];
    for (let r = 0; r < dims[0]; r++) {
      const view = await reader.read(recordBytes);
      if (view.length < recordBytes) {
        throw new Error(
          `idx ${label} is truncated: the header declares ${fmt(dims[0])} records of ${fmt(recordBytes)} bytes (${dims.join(' × ')}), found ${fmt(r)} and ${fmt(view.length)} bytes of record ${fmt(r)}`,
        );
      }
      yield decodeRecord(view, type, dtype, shape);
    }
    if (!(await reader.atEnd())) throw new Error(`idx ${label} has bytes after the ${fmt(dims[0])} records its header declares (${dims.join(' × ')})`);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('Z_')) throw new Error(`idx ${label}: the gzip data is corrupt: ${(err as Error).message}`, { cause: err });
    throw err;
  } finally {
    await reader.close();
  }
}

/** The header of a file on disk or in memory, read now (for the dataset's size); null for streams. */
function peekHeader(opened: { path?: string; bytes?: Uint8Array }, label: string): IdxHeader | null {
  let start: Uint8Array | null = opened.bytes ?? null;
  if (!start && opened.path !== undefined) start = platform.peekFile(opened.path, 1 << 16, 'idx');
  if (!start) return null;
  if (isGzip(start)) start = platform.gunzipPrefixSync(start);
  if (!start) return null;
  if (start.length < 4) throw new Error(`idx ${label} is truncated: expected an IDX header of at least 4 bytes, found ${start.length}`);
  return parseIdxHeader(start, label)?.header ?? null;
}

/**
 * A dataset of the records of an IDX file (MNIST's format; gzip-compressed or not, detected from
 * the bytes): one TensorBuffer per record along the first dimension, shape the other dimensions
 * (`[28, 28]` for MNIST images, `[]` for labels), read incrementally from a path (Node), URL,
 * Blob, bytes or stream. Zip images and labels: `zip({ x: idx(images), y: idx(labels) })`. The
 * size is known for paths and bytes (the header is read when the dataset is made).
 */
export function idx(source: ByteSource, options: IdxOptions = {}): Dataset<TensorBufferLike> {
  checkOptions('idx', options, ['dtype']);
  const dtype = options.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`idx: dtype must be 'float32' or 'int32', got ${describeData(dtype)}`);
  const opened = openByteSource(source, 'idx');
  const header = peekHeader(opened, opened.label);
  const size: Cardinality = header ? header.dims[0] : 'unknown';
  return new Dataset<TensorBufferLike>(() => records(opened.open(), opened.label, dtype), { size });
}
