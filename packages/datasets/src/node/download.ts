import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { MNIST_FILES } from '../official-files';
import type { MnistUrlOptions } from '../types';
import { tempPathFor } from './atomic-write';
import type { MnistFilePaths } from './idx-files';
import { progressBar } from './progress';

/** Where `loadMnist({ url })` keeps its downloads unless `cacheDir` says otherwise. */
export function defaultMnistCacheDir(): string {
  return join(homedir(), '.neurona', 'datasets', 'mnist');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Download `src` to `dest` through a temporary file, checking length and SHA-256 before the rename. */
async function downloadFile(src: string, dest: string, fileName: string, expected: string | undefined, options: MnistUrlOptions): Promise<void> {
  let res: Response;
  try {
    // identity: a transparently decompressed body would fail the checksum of the .gz file
    res = await fetch(src, { headers: { 'accept-encoding': 'identity' } });
  } catch (e) {
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new Error(`Download of ${src} failed: ${cause ?? (e as Error).message}`, { cause: e });
  }
  if (!res.ok || !res.body) {
    throw new Error(`Download of ${src} failed: expected HTTP 200, got ${res.status} ${res.statusText}`.trimEnd());
  }
  const lengthHeader = res.headers.get('content-length');
  const total = lengthHeader !== null && !res.headers.get('content-encoding') ? Number(lengthHeader) : undefined;
  const bar = progressBar(`Downloading ${fileName}`, total, options.progress);
  const tmp = tempPathFor(dest);
  const fh = await open(tmp, 'w');
  try {
    const hash = createHash('sha256');
    let received = 0;
    const reader = res.body.getReader();
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (e) {
        const cause = (e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message;
        throw new Error(`Download of ${src} was interrupted after ${received}${total ? ` of ${total}` : ''} bytes: ${cause}`, { cause: e });
      }
      const { done, value } = chunk;
      if (done) break;
      hash.update(value);
      await fh.write(value);
      received += value.length;
      bar.update(received);
    }
    await fh.close();
    bar.finish();
    if (total !== undefined && received !== total) {
      throw new Error(`Download of ${src} is truncated: expected ${total} bytes (Content-Length), received ${received}`);
    }
    const found = hash.digest('hex');
    if (expected && found !== expected) {
      throw new Error(`Checksum mismatch for ${fileName} downloaded from ${src}: expected SHA-256 ${expected}, found ${found}`);
    }
    await rename(tmp, dest);
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Make sure the four `.gz` MNIST files from base URL `url` are in the cache, verified, and return
 * their paths. A cached file whose checksum no longer matches is downloaded again.
 */
export async function downloadMnist(url: string, options: Omit<MnistUrlOptions, 'url'> = {}): Promise<MnistFilePaths> {
  if (typeof url !== 'string' || !/^https?:\/\/./i.test(url)) {
    throw new Error(`loadMnist: url must be an absolute http(s) base URL such as MNIST_URL, got ${JSON.stringify(url)}`);
  }
  const base = url.endsWith('/') ? url : `${url}/`;
  const cacheDir = options.cacheDir ?? defaultMnistCacheDir();
  await mkdir(cacheDir, { recursive: true });
  const sums = options.checksums;
  const paths = {} as MnistFilePaths;
  for (const info of MNIST_FILES) {
    const fileName = `${info.name}.gz`;
    const dest = join(cacheDir, fileName);
    const expected = sums === false ? undefined : (sums?.[info.name] ?? info.sha256).toLowerCase();
    const src = new URL(fileName, base).href;
    if (existsSync(dest) && (expected === undefined || (await sha256File(dest)) === expected)) {
      paths[info.name] = dest;
      continue;
    }
    await downloadFile(src, dest, fileName, expected, { url, ...options });
    paths[info.name] = dest;
  }
  return paths;
}
