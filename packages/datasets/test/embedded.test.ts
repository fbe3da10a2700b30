import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { argMax, memory } from '@neurona/tensor';
import { decodeMnistBinary, loadMnist, writeMnistBinary } from '../src';
import { embeddedBinaryPath } from '../src/node/embedded';
import { mnistPackageDigitsDir, readMnistPackage } from '../src/node/mnist-package';
import { tempDir } from './idx-helpers';

// The `mnist` package's class counts (measured): 863 to 1,127 per class, 10,000 in all.
const COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

describe('loadMnist() — the embedded digits', () => {
  it('gives x [10000, 28, 28] float32 in [0, 1] and y one-hot [10000, 10]', async () => {
    const before = memory().numTensors;
    const t0 = performance.now();
    const { x, y } = await loadMnist();
    console.log(`loadMnist() first call: ${(performance.now() - t0).toFixed(0)} ms (source: ${embeddedBinaryPath() ?? 'mnist JSON'})`);
    expect(x.shape).toEqual([10000, 28, 28]);
    expect(y.shape).toEqual([10000, 10]);
    expect(x.dtype).toBe('float32');
    expect(y.dtype).toBe('float32');
    const xs = x.dataSync();
    let min = Infinity;
    let max = -Infinity;
    for (const v of xs) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    const ys = y.dataSync();
    const counts = Array.from({ length: 10 }, () => 0);
    for (let i = 0; i < 10000; i++) {
      const row = Array.from(ys.subarray(i * 10, i * 10 + 10));
      expect(row.reduce((a, b) => a + b)).toBe(1);
      expect(row.every((v) => v === 0 || v === 1)).toBe(true);
      counts[row.indexOf(1)]++;
    }
    expect(counts).toEqual(COUNTS);
    x.dispose();
    y.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('is fast once read (cached in the module) and gives fresh tensors each call', async () => {
    const a = await loadMnist();
    const t0 = performance.now();
    const b = await loadMnist();
    const ms = performance.now() - t0;
    console.log(`loadMnist() cached call: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    expect(b.x).not.toBe(a.x);
    a.x.dispose();
    expect(b.x.dataSync()[200]).toBeGreaterThanOrEqual(0); // disposing one result leaves the other intact
    for (const t of [a.y, b.x, b.y]) t.dispose();
  });

  it('orders the digits so that every prefix is class-balanced, the same on every call', async () => {
    const { x, y } = await loadMnist({ limit: 2000 });
    expect(x.shape).toEqual([2000, 28, 28]);
    const labels = Array.from(argMax(y, 1).dataSync());
    for (const n of [10, 50, 100, 500, 1000, 2000]) {
      const counts = Array.from({ length: 10 }, () => 0);
      for (const l of labels.slice(0, n)) counts[l]++;
      // within one sample of each class's share of the whole set
      COUNTS.forEach((c, k) => expect(Math.abs(counts[k] - (n * c) / 10000)).toBeLessThanOrEqual(1));
    }
    const again = await loadMnist({ limit: 10 });
    expect(Array.from(argMax(again.y, 1).dataSync())).toEqual(labels.slice(0, 10));
    expect(Array.from(again.x.dataSync())).toEqual(Array.from(x.dataSync().subarray(0, 10 * 784)));
    for (const t of [x, y, again.x, again.y]) t.dispose();
  });

  it('clamps a limit above 10,000 and rejects a bad one or an unknown option', async () => {
    const { x, y } = await loadMnist({ limit: 60000 });
    expect(x.shape[0]).toBe(10000);
    x.dispose();
    y.dispose();
    await expect(loadMnist({ limit: 1.5 })).rejects.toThrow('loadMnist: limit must be a positive integer, got 1.5');
    await expect(loadMnist({ samples: 10 } as never)).rejects.toThrow('loadMnist: unknown option "samples". Known options: limit, dir, url, cacheDir, checksums, progress');
  });

  it('pixels are the original MNIST bytes / 255 (the 3-decimal JSON values rounded back exactly)', async () => {
    const { images } = await readMnistPackage();
    const { x, y } = await loadMnist({ limit: 50 });
    const xs = x.dataSync();
    for (let i = 0; i < 50 * 784; i++) expect(xs[i]).toBe(Math.fround(images[i] / 255));
    // and within 0.0005 of the package's own 3-decimal values
    const raw = JSON.parse(readFileSync(join(mnistPackageDigitsDir(), '0.json'), 'utf8')) as { data: number[] };
    const zero = Array.from(raw.data.slice(0, 784), (v) => Math.round(v * 255));
    let found = false;
    for (let k = 0; k < 10000 && !found; k++) found = images[k * 784 + 400] === zero[400] && zero.every((b, j) => images[k * 784 + j] === b);
    expect(found).toBe(true);
    x.dispose();
    y.dispose();
  });

  it('the built binary, a freshly written one and the JSON give the same digits', async () => {
    const fromJson = await readMnistPackage();
    const file = join(tempDir(), 'mnist-10k.bin');
    const written = await writeMnistBinary(file);
    expect(written).toEqual({ file, bytes: 16 + 10000 + 10000 * 784, count: 10000 });
    const decoded = decodeMnistBinary(readFileSync(file));
    expect(Buffer.compare(decoded.labels, fromJson.labels)).toBe(0);
    expect(Buffer.compare(decoded.images, fromJson.images)).toBe(0);
    const built = embeddedBinaryPath();
    if (built) expect(Buffer.compare(readFileSync(built), readFileSync(file))).toBe(0);
    else console.warn('dist/mnist-10k.bin not built: run the package build to test the built binary');
    expect(existsSync(`${file}.tmp`)).toBe(false);
  });
});
