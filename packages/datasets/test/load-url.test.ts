import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadMnist, loadMnist, MNIST_FILES, type MnistFileName } from '../src';
import { tempDir, tinyMnist } from './idx-helpers';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

// A local server on 127.0.0.1 serving tiny gzipped IDX files: no real network in tests.
const files: Record<string, Uint8Array> = {};
for (const [name, bytes] of Object.entries(tinyMnist(20, 6))) files[`${name}.gz`] = gzipSync(bytes);
const checksums = Object.fromEntries(Object.entries(files).map(([n, b]) => [n.replace('.gz', ''), sha256(b)])) as Record<MnistFileName, string>;
const hits: string[] = [];
let server: Server;
let base: string;
// per-path overrides: a status code, or a body shorter than its Content-Length
const broken = new Map<string, 'truncate' | number>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const name = (req.url ?? '').replace(/^\/mnist\//, '');
    hits.push(name);
    const mode = broken.get(name);
    const body = files[name];
    if (typeof mode === 'number' || !body) {
      res.writeHead(typeof mode === 'number' ? mode : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
    if (mode === 'truncate') {
      res.write(body.subarray(0, body.length >> 1));
      setTimeout(() => res.destroy(), 50); // the connection drops mid-body
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => broken.clear());

const quiet = { progress: false } as const;

describe('loadMnist({ url })', () => {
  it('downloads the four files, checks their SHA-256, caches them and reads the split', async () => {
    const cacheDir = tempDir();
    hits.length = 0;
    const { train, test } = await loadMnist({ url: base, cacheDir, checksums, ...quiet });
    expect(train.x.shape).toEqual([20, 28, 28]);
    expect(test.y.shape).toEqual([6, 10]);
    expect(hits).toHaveLength(4);
    expect(new Set(hits)).toEqual(new Set(Object.keys(files)));
    expect(new Set(readdirSync(cacheDir))).toEqual(new Set(Object.keys(files))); // no temp files left
    expect(readdirSync(cacheDir)).toHaveLength(4);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();

    // second call: served from the cache, no request
    hits.length = 0;
    const again = await loadMnist({ url: base.slice(0, -1), cacheDir, checksums, limit: 3, ...quiet });
    expect(hits).toEqual([]);
    expect(again.train.x.shape).toEqual([3, 28, 28]);
    for (const t of [again.train.x, again.train.y, again.test.x, again.test.y]) t.dispose();
  });

  it('downloads again a cached file whose checksum no longer matches', async () => {
    const cacheDir = tempDir();
    await downloadMnist(base, { cacheDir, checksums, ...quiet });
    writeFileSync(join(cacheDir, 't10k-labels-idx1-ubyte.gz'), 'corrupt');
    hits.length = 0;
    const paths = await downloadMnist(base, { cacheDir, checksums, ...quiet });
    expect(hits).toEqual(['t10k-labels-idx1-ubyte.gz']);
    expect(sha256(readFileSync(paths['t10k-labels-idx1-ubyte']))).toBe(checksums['t10k-labels-idx1-ubyte']);
  });

  it('checks against the official checksums by default, naming file, expected and found', async () => {
    const cacheDir = tempDir();
    const official = MNIST_FILES[0].sha256;
    await expect(loadMnist({ url: base, cacheDir, ...quiet })).rejects.toThrow(
      `Checksum mismatch for train-images-idx3-ubyte.gz downloaded from ${base}train-images-idx3-ubyte.gz: expected SHA-256 ${official}, found ${checksums['train-images-idx3-ubyte']}`,
    );
    expect(readdirSync(cacheDir)).toEqual([]); // nothing unverified is kept
  });

  it('reports a missing file (HTTP 404) and a dropped connection, keeping no partial file', async () => {
    const cacheDir = tempDir();
    broken.set('t10k-images-idx3-ubyte.gz', 404);
    await expect(loadMnist({ url: base, cacheDir, checksums, ...quiet })).rejects.toThrow(
      `Download of ${base}t10k-images-idx3-ubyte.gz failed: expected HTTP 200, got 404 Not Found`,
    );
    broken.set('t10k-images-idx3-ubyte.gz', 'truncate');
    await expect(loadMnist({ url: base, cacheDir, checksums, ...quiet })).rejects.toThrow(
      new RegExp(`^Download of ${base}t10k-images-idx3-ubyte\\.gz was interrupted after \\d+ of ${files['t10k-images-idx3-ubyte.gz'].length} bytes: `),
    );
    expect(readdirSync(cacheDir).filter((f) => f.startsWith('t10k-images'))).toEqual([]);
    expect(readdirSync(cacheDir).some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('reports an unreachable server and a bad URL', async () => {
    const cacheDir = tempDir();
    // a port that was just free: nothing listens there
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(loadMnist({ url: `http://127.0.0.1:${port}/mnist/`, cacheDir, checksums, ...quiet })).rejects.toThrow(
      `Download of http://127.0.0.1:${port}/mnist/train-images-idx3-ubyte.gz failed: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
    await expect(loadMnist({ url: 'ftp://x', ...quiet })).rejects.toThrow('loadMnist: url must be an absolute http(s) base URL such as MNIST_URL, got "ftp://x"');
  });

  it('checksums: false skips verification', async () => {
    const cacheDir = tempDir();
    const paths = await downloadMnist(base, { cacheDir, checksums: false, ...quiet });
    expect(existsSync(paths['train-labels-idx1-ubyte'])).toBe(true);
  });

  it('shows progress: one line at start and end when not a terminal, a redrawn bar on a terminal', async () => {
    for (const isTTY of [false, true]) {
      let out = '';
      const sink = { isTTY, write: (s: string) => (out += s) };
      await downloadMnist(base, { cacheDir: tempDir(), checksums, progress: sink });
      if (isTTY) {
        expect(out).toMatch(/\rDownloading train-images-idx3-ubyte\.gz \[=+\] 100% 0\.0\/0\.0 MB [\d.]+ MB\/s\n/);
      } else {
        expect(out).toMatch(/^Downloading train-images-idx3-ubyte\.gz \(0\.0 MB\)\.\.\.\nDownloading train-images-idx3-ubyte\.gz: 0\.0 MB in [\d.]+ s\n/);
        expect(out.split('\n').filter(Boolean)).toHaveLength(8);
      }
    }
  });
});
