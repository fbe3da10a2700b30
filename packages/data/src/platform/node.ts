// The data package's environment under Node: node:fs for files, node:zlib for gzip.
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { access, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { constants as zlib, createGunzip, gunzipSync, inflateSync } from 'node:zlib';
import { decodePng } from '../sources/png';
import type { AtomicWriter, ListedImage, Platform } from './types';

function fileError(who: string, path: string, err: unknown): Error {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return new Error(`${who}: no file at '${path}'`, { cause: err });
  if (code === 'EISDIR') return new Error(`${who}: '${path}' is a folder; expected a file`, { cause: err });
  const msg = err instanceof Error ? err.message : String(err);
  return new Error(`${who}: cannot read '${path}': ${msg}`, { cause: err });
}

async function* readFileChunks(path: string, who: string): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 1 << 16 });
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } catch (err) {
    throw fileError(who, path, err);
  } finally {
    stream.destroy();
  }
}

async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const input = Readable.from(chunks);
  const gunzip = createGunzip();
  const output = input.pipe(gunzip);
  input.on('error', (err) => gunzip.destroy(err));
  try {
    for await (const chunk of output) yield chunk as Buffer;
  } finally {
    input.destroy();
    gunzip.destroy();
  }
}

const FLUSH_BYTES = 1 << 20;

async function writeFileAtomic(path: string, who: string): Promise<AtomicWriter> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`);
  let handle;
  try {
    handle = await open(tmp, 'w');
  } catch (err) {
    throw new Error(`${who}: cannot write '${path}': ${(err as Error).message}`, { cause: err });
  }
  const fh = handle;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async (): Promise<void> => {
    if (pendingBytes === 0) return;
    const all = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    await fh.write(all);
  };
  let closed = false;
  return {
    async write(bytes) {
      pending.push(bytes);
      pendingBytes += bytes.byteLength;
      if (pendingBytes >= FLUSH_BYTES) await flush();
    },
    async commit() {
      await flush();
      await fh.close();
      closed = true;
      await rename(tmp, path);
    },
    async abort() {
      if (!closed) await fh.close().catch(() => undefined);
      closed = true;
      await rm(tmp, { force: true });
    },
  };
}

async function listImageFolder(dir: string, extensions: readonly string[], who: string): Promise<ListedImage[]> {
  let entries;
  try {
    if (!(await stat(dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new Error(`${who}: no folder at '${dir}'`, { cause: err });
    if (code === 'ENOTDIR') throw new Error(`${who}: '${dir}' is a file; expected a folder with one sub-folder per class`, { cause: err });
    throw err;
  }
  const exts = new Set(extensions.map((e) => e.toLowerCase()));
  const out: ListedImage[] = [];
  for (const d of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const files = (await readdir(join(dir, d.name), { withFileTypes: true }))
      .filter((f) => f.isFile() && exts.has(extname(f.name).toLowerCase()))
      .map((f) => f.name)
      .sort();
    for (const f of files) out.push({ className: d.name, path: join(dir, d.name, f) });
  }
  return out;
}

/** Node: files through node:fs, gzip through node:zlib. */
export const platform: Platform = {
  name: 'node',
  readFile: readFileChunks,
  peekFile(path, n, who) {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw fileError(who, path, err);
    }
    try {
      const buf = new Uint8Array(n);
      const got = readSync(fd, buf, 0, n, 0);
      return buf.subarray(0, got);
    } catch (err) {
      throw fileError(who, path, err);
    } finally {
      closeSync(fd);
    }
  },
  gunzip: gunzipChunks,
  gunzipPrefixSync(bytes) {
    try {
      return gunzipSync(bytes, { finishFlush: zlib.Z_SYNC_FLUSH });
    } catch {
      return null;
    }
  },
  async fileExists(path) {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  },
  writeFileAtomic,
  listImageFolder,
  pathOfFileUrl: (url) => fileURLToPath(url),
  decodeImage: async (bytes, name) => decodePng(bytes, (d) => inflateSync(d), name),
  async readWholeFile(path, who) {
    try {
      return await readFile(path);
    } catch (err) {
      throw fileError(who, path, err);
    }
  },
};
