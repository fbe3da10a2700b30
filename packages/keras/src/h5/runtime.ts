// The HDF5 library (h5wasm: HDF5 compiled to WebAssembly, the same code h5py wraps), loaded on
// first use. Every call into it runs synchronously inside `withHdf5`, which caps how far the
// WebAssembly heap may grow (a corrupt length field can make HDF5 ask for gigabytes; past the
// cap the allocation fails and HDF5 reports an error instead), turns HDF5's errors into
// ModelFileError, and removes the in-memory file afterwards.
import { ModelFileError } from '@neurona/models';

/** The parts of h5wasm's API used here. */
export interface H5Entity {
  readonly type: string;
  readonly path: string;
  readonly attrs: Record<string, { metadata: H5Metadata }>;
  get_attribute(name: string, json: true): unknown;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
}
/** HDF5 type metadata as h5wasm reports it. */
export interface H5Metadata {
  type: number;
  size: number;
  signed?: boolean;
  vlen?: boolean;
  littleEndian?: boolean;
  shape?: number[] | null;
  total_size?: number;
  cset?: number;
}
/** A group of an open file. */
export interface H5GroupHandle extends H5Entity {
  keys(): string[];
  get(name: string): H5Entity | null;
  create_group(name: string): H5GroupHandle;
  create_dataset(args: { name: string; data: unknown; shape?: number[] | null; dtype?: string | null }): H5Entity;
}
/** A dataset of an open file. */
export interface H5DatasetHandle extends H5Entity {
  readonly metadata: H5Metadata;
  readonly shape: number[] | null;
  readonly value: unknown;
}
/** An open file. */
export interface H5FileHandle extends H5GroupHandle {
  close(): unknown;
}
interface H5Module {
  FS: { writeFile(path: string, data: Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
  activate_throwing_error_handler?: () => number;
  HEAPU8?: Uint8Array;
}
interface H5Wasm {
  ready: Promise<H5Module>;
  File: new (name: string, mode: string) => H5FileHandle;
}

let loading: Promise<{ h5: H5Wasm; module: H5Module }> | null = null;

/** HDF5 type classes (H5T_class_t) that h5wasm reports in `metadata.type`. */
export const H5T = { INTEGER: 0, FLOAT: 1, STRING: 3 } as const;

/** The HDF5 library, loaded once. */
export async function hdf5(): Promise<{ h5: H5Wasm; module: H5Module }> {
  loading ??= (async () => {
    let mod: { default?: H5Wasm } & Partial<H5Wasm>;
    try {
      mod = (await import('h5wasm')) as unknown as { default?: H5Wasm } & Partial<H5Wasm>;
    } catch (e) {
      loading = null;
      throw new Error(`@neurona/keras: could not load h5wasm (the HDF5 library) for .h5 files: ${(e as Error).message}`, { cause: e });
    }
    const h5 = (mod.default ?? mod) as H5Wasm;
    const module = await h5.ready;
    // HDF5 errors become exceptions (instead of being printed and returning -1)
    module.activate_throwing_error_handler?.();
    return { h5, module };
  })();
  return loading;
}

/** Heap the HDF5 library may grow to while it handles a file of `fileBytes` bytes. */
export function heapCap(fileBytes: number): number {
  return Math.min(2 ** 32 - 2 ** 16, 256 * 2 ** 20 + 4 * fileBytes);
}

const originalGrow = WebAssembly.Memory.prototype.grow;

/** The last line HDF5 wrote for an error ("minor: File has been truncated"), for our message. */
export function hdf5Reason(e: unknown): string {
  const text = String((e as Error)?.message ?? e);
  const minors = [...text.matchAll(/minor:\s*([^\n]+)/g)].map((m) => m[1].trim());
  const majors = [...text.matchAll(/major:\s*([^\n]+)/g)].map((m) => m[1].trim());
  if (minors.length > 0) return `${majors[majors.length - 1] ?? 'HDF5'}: ${minors[minors.length - 1]}`;
  return text.split('\n')[0].slice(0, 200);
}

let counter = 0;

/**
 * Run `fn` on `bytes` opened as an HDF5 file (mode 'r'), or on a new file (mode 'w', bytes
 * ignored) whose bytes are returned with the result. Synchronous inside: nothing else touches
 * the library meanwhile.
 */
export async function withHdf5<T>(
  bytes: Uint8Array | null,
  mode: 'r' | 'w',
  what: string,
  fn: (file: H5FileHandle) => T,
): Promise<{ result: T; bytes: Uint8Array | null }> {
  const { h5, module } = await hdf5();
  const name = `/neurona-${++counter}.h5`;
  const cap = heapCap(bytes?.byteLength ?? 0);
  const memoryProto = WebAssembly.Memory.prototype as { grow: (pages: number) => number };
  memoryProto.grow = function grow(this: WebAssembly.Memory, pages: number): number {
    if (this.buffer.byteLength + pages * 65536 > cap) throw new RangeError('neurona: HDF5 heap cap reached');
    return originalGrow.call(this, pages);
  };
  let file: H5FileHandle | null = null;
  let written = false;
  try {
    if (mode === 'r') {
      module.FS.writeFile(name, bytes as Uint8Array);
      written = true;
    }
    try {
      file = new h5.File(name, mode);
    } catch (e) {
      throw new ModelFileError(`${what} is not a readable HDF5 file (${hdf5Reason(e)}); it may be truncated or corrupt`, { cause: e });
    }
    written = true;
    let result: T;
    try {
      result = fn(file);
    } catch (e) {
      // our own checks throw ModelFileError; anything else comes from HDF5 or h5wasm meeting a corrupt file
      // (an HDF5 error, a failed allocation past the cap, a WebAssembly trap, an h5wasm type error)
      if (e instanceof ModelFileError || mode === 'w') throw e;
      throw new ModelFileError(`${what}: HDF5 could not read it (${hdf5Reason(e)}); the file is truncated or corrupt`, { cause: e });
    }
    try {
      file.close();
    } finally {
      file = null;
    }
    const out = mode === 'w' ? module.FS.readFile(name).slice() : null;
    return { result, bytes: out };
  } finally {
    memoryProto.grow = originalGrow;
    try {
      file?.close();
    } catch {
      // the file is unusable already; it is removed below
    }
    if (written) {
      try {
        module.FS.unlink(name);
      } catch {
        // never created
      }
    }
  }
}
