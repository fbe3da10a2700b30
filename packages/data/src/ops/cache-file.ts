// cache({ file }): the first complete pass is written to a file (atomically: nothing appears at
// the path until the pass ends); later passes, and later runs, read the file instead of the
// source, as tf.data's cache(filename) does. Delete the file when the source changes.
import { platform } from '../platform';
import { ByteReader } from '../sources/byte-reader';
import { decodeElement, encodeElement } from './serialize';

const MAGIC = new TextEncoder().encode('NEURONA-DATA-CACHE v1\n');

/** A pass over `source` through the cache file at `path`. */
export async function* fileCachePass<T>(source: AsyncIterable<T>, path: string): AsyncGenerator<T> {
  const who = `cache({ file: '${path}' })`;
  if (await platform.fileExists(path)) {
    yield* readCache<T>(path, who);
    return;
  }
  const writer = await platform.writeFileAtomic(path, who);
  let complete = false;
  try {
    await writer.write(MAGIC);
    for await (const e of source) {
      await writer.write(await encodeElement(e));
      yield e;
    }
    complete = true;
  } finally {
    if (complete) await writer.commit();
    else await writer.abort();
  }
}

async function* readCache<T>(path: string, who: string): AsyncGenerator<T> {
  const reader = new ByteReader(platform.readFile(path, who)[Symbol.asyncIterator]());
  try {
    const magic = await reader.read(MAGIC.length);
    if (magic.length !== MAGIC.length || !magic.every((b, i) => b === MAGIC[i])) {
      throw new Error(`${who}: '${path}' is not a neurona data cache file (or one of another version); delete it to rebuild the cache`);
    }
    for (let index = 0; !(await reader.atEnd()); index++) {
      const head = await reader.read(4);
      const length = head.length === 4 ? new DataView(head.buffer, head.byteOffset, 4).getUint32(0, true) : -1;
      const record = length >= 0 ? await reader.read(length) : head;
      if (length < 0 || record.length !== length) {
        throw new Error(`${who}: '${path}' is truncated in element ${index}; delete it to rebuild the cache`);
      }
      yield decodeElement(record) as T;
    }
  } finally {
    await reader.close();
  }
}
