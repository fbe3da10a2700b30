import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { decodeMnistBinary } from '../binary-format';
import { bytesToUnit } from '../from-arrays';
import type { MnistArrays } from '../types';
import { readMnistPackage } from './mnist-package';

/** The embedded digits with pixels already in [0, 1]: what every `loadMnist()` call copies from. */
export interface EmbeddedMnist {
  pixels: Float32Array;
  labels: Uint8Array;
  count: number;
  rows: number;
  cols: number;
  /** Where the digits were read from: the built binary or the `mnist` package's JSON. */
  source: string;
}

let cached: Promise<EmbeddedMnist> | undefined;

/** The built `dist/mnist-10k.bin`, found through the package's own export; undefined before a build. */
export function embeddedBinaryPath(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve('@neurona/datasets/mnist-10k.bin');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function readEmbedded(): Promise<EmbeddedMnist> {
  const bin = embeddedBinaryPath();
  // The binary reads in milliseconds; the JSON fallback (unbuilt checkout) takes a few hundred.
  const arrays: MnistArrays = bin ? decodeMnistBinary(await readFile(bin), bin) : await readMnistPackage();
  const { images, labels, count, rows, cols } = arrays;
  return { pixels: bytesToUnit(images), labels: labels.slice(), count, rows, cols, source: bin ?? 'mnist/src/digits/*.json' };
}

/** The embedded digits, read once per process and kept (31 MB of float32). */
export function embeddedMnist(): Promise<EmbeddedMnist> {
  cached ??= readEmbedded().catch((e: unknown) => {
    cached = undefined; // a failed read is retried on the next call
    throw e;
  });
  return cached;
}
