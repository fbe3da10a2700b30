// idx: every IDX value type against numpy's values, MNIST-shaped gzip files read incrementally,
// sizes from the header, and corrupt files.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { dispose } from '@neurona/tensor';
import { idx, zip, type TensorBufferLike } from '../src/index';
import { leaked } from './helpers';

const fixtures = join(import.meta.dirname, 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'idx-expected.json'), 'utf8')) as Record<string, { shape: number[]; values: number[]; checksum: number; first: number[]; last: number[] }>;
const dir = mkdtempSync(join(tmpdir(), 'neurona-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('idx', () => {
  it('reads every IDX value type (big-endian) as numpy wrote it', async () => {
    for (const name of ['type-08.idx', 'type-09.idx', 'type-0b.idx', 'type-0c.idx', 'type-0d.idx', 'type-0e.idx']) {
      const ds = idx(join(fixtures, name));
      expect(ds.size).toBe(5);
      const rows = await ds.toArray();
      expect(rows[0].shape).toEqual([3, 2]);
      const got = rows.flatMap((r) => Array.from(r.values as Float32Array));
      expect(got).toEqual(expected[name].values);
    }
    const ints = await idx(join(fixtures, 'type-0c.idx'), { dtype: 'int32' }).toArray();
    expect(ints[0].dtype).toBe('int32');
    expect(Array.from(ints[0].values as Int32Array)).toEqual(expected['type-0c.idx'].values.slice(0, 6));
  });

  it('streams gzip MNIST-shaped files and zips images with labels', async () => {
    const images = idx(join(fixtures, 'images.idx.gz'));
    const labels = idx(join(fixtures, 'labels.idx.gz'), { dtype: 'int32' });
    expect([images.size, labels.size]).toEqual([100, 100]);
    const ds = zip({ x: images, y: labels }).batch(32);
    let sum = 0;
    let count = 0;
    const ys: number[] = [];
    let first: number[] = [];
    let last: number[] = [];
    for await (const { x, y } of ds) {
      expect(x.shape.slice(1)).toEqual([28, 28]);
      expect([x.dtype, y.dtype]).toEqual(['float32', 'int32']);
      const v = x.dataSync();
      for (let i = 0; i < v.length; i++) sum += v[i];
      if (count === 0) first = Array.from(v.subarray(0, 784));
      last = Array.from(v.subarray(v.length - 784));
      count += x.shape[0];
      ys.push(...Array.from(y.dataSync()));
      dispose([x, y]);
    }
    expect(count).toBe(100);
    expect(sum).toBe(expected.images.checksum);
    expect(first).toEqual(expected.images.first);
    expect(last).toEqual(expected.images.last);
    expect(ys).toEqual(expected.labels.values);
  });

  it('reads the same records from a plain file, bytes, a stream, and a stream of tiny chunks', async () => {
    const raw = gunzipSync(readFileSync(join(fixtures, 'images.idx.gz')));
    const plain = join(dir, 'images.idx');
    writeFileSync(plain, raw);
    const sums = async (ds: AsyncIterable<TensorBufferLike>): Promise<number> => {
      let s = 0;
      for await (const r of ds) for (let i = 0; i < r.values.length; i++) s += (r.values[i] as number) * ((i % 7) + 1);
      return s;
    };
    const want = await sums(idx(plain));
    expect(await sums(idx(new Uint8Array(raw)))).toBe(want);
    expect(await sums(idx(() => createReadStream(join(fixtures, 'images.idx.gz'), { highWaterMark: 1000 })))).toBe(want);
    const tiny = async function* () {
      for (let i = 0; i < raw.length; i += 7) yield new Uint8Array(raw.subarray(i, i + 7));
    };
    expect(await sums(idx(() => tiny()))).toBe(want);
    expect(idx(new Uint8Array(raw)).size).toBe(100);
    expect(idx(() => tiny()).size).toBe('unknown');
  });

  it('explains corrupt, truncated and oversized files', async () => {
    const raw = readFileSync(join(fixtures, 'type-08.idx'));
    const trunc = join(dir, 'trunc.idx');
    writeFileSync(trunc, raw.subarray(0, raw.length - 4));
    await expect(idx(trunc).toArray()).rejects.toThrow(`idx ${trunc} is truncated: the header declares 5 records of 6 bytes (5 × 3 × 2), found 4 and 2 bytes of record 4`);
    const extra = join(dir, 'extra.idx');
    writeFileSync(extra, Buffer.concat([raw, Buffer.from([1, 2])]));
    await expect(idx(extra).toArray()).rejects.toThrow(`idx ${extra} has bytes after the 5 records its header declares (5 × 3 × 2)`);
    const notIdx = join(dir, 'not.idx');
    writeFileSync(notIdx, 'hello world');
    expect(() => idx(notIdx)).toThrow(`idx ${notIdx}: expected an IDX file (magic number 0x0000TTNN: two zero bytes, a type TT of 08, 09, 0b, 0c, 0d or 0e, and NN > 0 dimensions), found 0x68656c6c`);
    expect(() => idx(join(dir, 'missing.idx'))).toThrow(`idx: no file at '${join(dir, 'missing.idx')}'`);
    const badGz = join(dir, 'bad.idx.gz');
    const gz = gzipSync(raw);
    gz[gz.length - 12] ^= 0xff; // corrupt the deflate stream near its end (the header still reads)
    writeFileSync(badGz, gz);
    await expect(idx(badGz).toArray()).rejects.toThrow(`idx ${badGz}: the gzip data is corrupt: incorrect data check`);
    expect(() => idx(new Uint8Array([0, 0, 8]))).toThrow('idx bytes is truncated: expected an IDX header of at least 4 bytes, found 3');
  });

  it('reads incrementally: bytes are pulled from the source only as records are consumed', async () => {
    // 2,000 random 28×28 images: 1.5 MB raw, about as much gzipped (random bytes do not compress)
    const n = 2000;
    const raw = new Uint8Array(16 + n * 784);
    raw.set([0, 0, 8, 3, 0, 0, (n >> 8) & 255, n & 255, 0, 0, 0, 28, 0, 0, 0, 28]);
    let state = 2463534242;
    for (let i = 16; i < raw.length; i++) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      raw[i] = state & 255; // xorshift32: bytes gzip cannot shrink
    }
    for (const [label, bytes] of [['plain', raw], ['gzip', new Uint8Array(gzipSync(raw))]] as const) {
      let pulled = 0;
      let closed = false;
      const source = async function* () {
        try {
          for (let i = 0; i < bytes.length; i += 4096) {
            pulled += Math.min(4096, bytes.length - i);
            yield bytes.subarray(i, i + 4096);
          }
        } finally {
          closed = true;
        }
      };
      let k = 0;
      for await (const r of idx(() => source())) {
        expect(r.shape).toEqual([28, 28]);
        if (++k === 10) break;
      }
      // 10 records are 7,840 bytes: what was pulled is that plus read-ahead of a few chunks
      // (zlib's stream buffers up to 16 KiB in and out), never the 1.5 MB file
      expect([label, pulled < 120_000]).toEqual([label, true]);
      expect([label, pulled < bytes.length / 10]).toEqual([label, true]);
      expect([label, closed]).toEqual([label, true]);
    }
  });

  it('holds one chunk, not the file: stopping early closes it, and nothing leaks', async () => {
    const n = await leaked(async () => {
      const ds = idx(join(fixtures, 'images.idx.gz')).batch(10);
      for await (const b of ds) {
        b.dispose();
        break;
      }
    });
    expect(n).toBe(0);
  });
});
