// Where a Keras file comes from: a path (Node), bytes, a File/Blob (browser), or a URL (fetch).
import { ModelFileError } from '@neurona/models';
import { MAX_FILE_BYTES } from './limits';

/** A `File` or `Blob`: anything with a size and `arrayBuffer()`. */
export interface BlobLike {
  readonly size: number;
  readonly name?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** What the load functions accept: a path or URL, bytes, or a File/Blob. */
export type KerasSource = string | URL | ArrayBuffer | Uint8Array | BlobLike;

/** The bytes of a source and a name for messages. */
export interface SourceBytes {
  bytes: Uint8Array;
  name: string;
}

interface NodeFsLike {
  stat(p: string): Promise<{ size: number; isFile(): boolean }>;
  readFile(p: string): Promise<Uint8Array>;
  open(p: string, flags: string): Promise<{ write(d: Uint8Array): Promise<unknown>; sync(): Promise<void>; close(): Promise<void> }>;
  rename(a: string, b: string): Promise<void>;
  rm(p: string, o?: { force?: boolean }): Promise<void>;
  mkdir(p: string, o?: { recursive?: boolean }): Promise<unknown>;
}
interface NodePathLike {
  resolve(...p: string[]): string;
  dirname(p: string): string;
  basename(p: string): string;
  join(...p: string[]): string;
}

/** `node:fs/promises` and `node:path`, imported only when a path is used (browser bundles skip them). */
export async function nodeFs(): Promise<{ fs: NodeFsLike; path: NodePathLike }> {
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  try {
    const [fs, path] = await Promise.all([import(/* @vite-ignore */ fsName), import(/* @vite-ignore */ pathName)]);
    return { fs: fs as unknown as NodeFsLike, path: ((path as { default?: NodePathLike }).default ?? path) as NodePathLike };
  } catch (e) {
    throw new Error('A file path needs Node.js (node:fs could not be loaded); in a browser pass a File, an ArrayBuffer or a URL', { cause: e });
  }
}

function isBlobLike(x: unknown): x is BlobLike {
  return typeof x === 'object' && x !== null && typeof (x as BlobLike).arrayBuffer === 'function' && typeof (x as BlobLike).size === 'number';
}

function checkSize(n: number, name: string): void {
  if (n > MAX_FILE_BYTES) throw new ModelFileError(`${name} is ${n} bytes, more than the ${MAX_FILE_BYTES} a Keras file may have`);
}

/** True for an http(s) URL (a string or a URL object). */
export function isUrl(x: unknown): boolean {
  return x instanceof URL || (typeof x === 'string' && /^(https?|blob|data):/i.test(x));
}

/** The bytes of a source, size-checked before they are read. */
export async function readSource(source: KerasSource, fetchFn?: typeof fetch): Promise<SourceBytes> {
  if (source instanceof Uint8Array) return { bytes: source, name: 'the given bytes' };
  if (source instanceof ArrayBuffer) return { bytes: new Uint8Array(source), name: 'the given bytes' };
  if (isBlobLike(source)) {
    const name = source.name ? `"${source.name}"` : 'the given Blob';
    checkSize(source.size, name);
    const bytes = new Uint8Array(await source.arrayBuffer());
    if (bytes.byteLength !== source.size) throw new ModelFileError(`${name} changed size while being read`);
    return { bytes, name };
  }
  if (isUrl(source)) {
    const url = String(source);
    const f = fetchFn ?? (globalThis.fetch as typeof fetch | undefined);
    if (!f) throw new Error(`loading ${url}: no fetch in this environment`);
    const res = await f(url);
    if (!res.ok) throw new ModelFileError(`GET ${url} failed with status ${res.status}`);
    const declared = Number(res.headers?.get?.('content-length') ?? NaN);
    if (Number.isFinite(declared)) checkSize(declared, url);
    const bytes = new Uint8Array(await res.arrayBuffer());
    checkSize(bytes.byteLength, url);
    return { bytes, name: url };
  }
  if (typeof source === 'string') {
    const { fs, path } = await nodeFs();
    const p = path.resolve(source.replace(/^file:\/\//, ''));
    let st;
    try {
      st = await fs.stat(p);
    } catch {
      throw new ModelFileError(`no file at ${p}`);
    }
    if (!st.isFile()) throw new ModelFileError(`${p} is not a file`);
    checkSize(st.size, p);
    return { bytes: new Uint8Array(await fs.readFile(p)), name: p };
  }
  throw new Error(`expected a path, a URL, an ArrayBuffer, a Uint8Array or a File/Blob, got ${source === null ? 'null' : typeof source}`);
}

/**
 * Write bytes to a path atomically (Node): into a temporary file beside it, synced, then renamed
 * over the target, so a crash leaves either the old file or the new one, never half of one.
 */
export async function writeFileAtomic(target: string, bytes: Uint8Array): Promise<string> {
  const { fs, path } = await nodeFs();
  const full = path.resolve(target.replace(/^file:\/\//, ''));
  await fs.mkdir(path.dirname(full), { recursive: true });
  const tmp = path.join(path.dirname(full), `.${path.basename(full)}.neurona-tmp-${process.pid}-${Math.random().toString(36).slice(2, 10)}`);
  try {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.write(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, full);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  return full;
}
